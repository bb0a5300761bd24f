import Foundation
import Testing

import enum SkiffText.DisplayWidth

#if canImport(Glibc)
import Glibc
#endif

/// The CursesProbe executable built next to this test binary, if it was built.
private let probePath: String? = {
    guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
        return nil
    }
    var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
    // On macOS the test binary sits inside a .xctest bundle.
    while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
        || directory.lastPathComponent == "Contents"
    {
        directory.deleteLastPathComponent()
    }
    let path = directory.appendingPathComponent("CursesProbe").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// Runs the probe in tmux, under `sh` so its exit status is printed after it ends (the shell
/// survives the Ctrl-C that ends the probe: a trap with a command is reset to the default action
/// in the child).
private func startProbe(
    _ arguments: [String] = [], width: Int = 120, height: Int = 40, environment: [String: String] = [:]
) throws -> TmuxSession {
    let probe = try #require(probePath, "CursesProbe is not built next to the tests: run `swift build --build-tests`")
    return try TmuxSession(
        command: ["sh", "-c", #"trap : INT; "$0" "$@"; echo "probe exited $?"; sleep 60"#, probe] + arguments,
        width: width, height: height, environment: environment)
}

/// Lines of a captured pane.
private func lines(_ pane: String) -> [String] {
    pane.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// CursesTerminal on a real terminal: the probe program drawn by tmux and read back.
@Suite(
    "CursesTerminal under tmux", .serialized,
    .enabled(if: TmuxSession.isAvailable, "tmux is not installed (Debian package tmux): end-to-end tests skipped"))
struct CursesTerminalEndToEndTests {
    /// Borders, CJK and emoji text line up (every row is exactly the pane's width), and roles come
    /// out in colour.
    @Test func drawsWideTextAlignedAndInColour() async throws {
        let session = try startProbe()
        // tmux may show a frame half-written; the status line is the last row of the first frame.
        let pane = try await session.waitFor(text: "e write to stderr")
        let rows = lines(pane)
        let wide = try #require(rows.first { $0.contains("wide: 日本語のテキスト 🚀 カフカ ok") })
        #expect(DisplayWidth.of(wide) == 120, "\(TmuxSession.framed(pane))")
        #expect(wide.hasPrefix("│ ") && wide.hasSuffix("│"))
        #expect(rows[1].hasPrefix("┌─") && rows[1].hasSuffix("─┐") && DisplayWidth.of(rows[1]) == 120)
        #expect(rows[38].hasPrefix("└─") && rows[38].hasSuffix("─┘"))
        #expect(rows[39].hasPrefix(" q quit  e write to stderr"))
        #expect(pane.contains("colors: yes"))
        let escaped = try session.capture(escapes: true)
        #expect(escaped.contains("\u{1B}[1m\u{1B}[37m\u{1B}[44m") || escaped.contains("44m"))
        #expect(escaped.contains("31m"))  // the error role is red
    }

    /// Keys arrive decoded: arrows, Home/End, pages, F-keys, Enter, Esc, Tab, Shift-Tab,
    /// Backspace, Delete, Ctrl-letters and printable Unicode; a wide grapheme moving one column
    /// at a time leaves nothing behind.
    @Test func decodesKeys() async throws {
        let session = try startProbe()
        try await session.waitFor(text: "last key: none")
        let named: [(String, String)] = [
            ("Up", "up"), ("Down", "down"), ("Left", "left"), ("Right", "right"), ("Home", "home"), ("End", "end"),
            ("PPage", "pageup"), ("NPage", "pagedown"), ("F1", "F1"), ("F5", "F5"), ("F12", "F12"),
            ("Enter", "enter"), ("Escape", "escape"), ("Tab", "tab"), ("BTab", "backtab"), ("BSpace", "backspace"),
            ("DC", "delete"), ("C-a", "ctrl-a"), ("C-w", "ctrl-w"),
        ]
        let literal: [(String, String)] = [("x", "char x"), ("é", "char é"), ("日", "char 日"), ("?", "char ?")]
        var count = 0
        for (send, expected) in named + literal {
            if literal.contains(where: { $0.0 == send }) {
                try session.sendLiteral(send)
            } else {
                try session.sendKeys(send)
            }
            count += 1
            let expectedShift = "│ shift: " + String(repeating: ".", count: count % 3) + "漢字abc "
            // Both lines of the frame (tmux may show a frame half-written).
            let pane = try await session.waitUntil("key \(count) shows as \(expected)") { pane in
                pane.contains("last key: \(expected)  keys: \(count)")
                    && lines(pane).contains { $0.hasPrefix(expectedShift) }
            }
            let shift = try #require(lines(pane).first { $0.contains("shift:") })
            #expect(DisplayWidth.of(shift) == 120, "\(shift)")
            #expect(shift.hasSuffix(" │"), "\(shift)")
        }
    }

    /// A resize arrives as a key and the next frame repaints the whole screen at the new size.
    @Test func resizeRepaints() async throws {
        let session = try startProbe()
        try await session.waitFor(text: "size: 120x40  resizes: 0")
        try session.resize(width: 90, height: 25)
        let pane = try await session.waitUntil("the probe repaints at 90x25") { pane in
            pane.contains("size: 90x25  resizes: 1") && pane.contains("e write to stderr")
        }
        let rows = lines(pane)
        #expect(rows[1].hasPrefix("┌") && rows[1].hasSuffix("┐") && DisplayWidth.of(rows[1]) == 90)
        #expect(rows[23].hasPrefix("└") && rows[23].hasSuffix("┘"))
        #expect(rows.prefix(25).allSatisfy { DisplayWidth.of($0) <= 90 })
        try session.resize(width: 130, height: 45)
        let grown = try await session.waitUntil("the probe repaints at 130x45") { pane in
            pane.contains("size: 130x45  resizes: 2") && lines(pane)[44].contains("e write to stderr")
        }
        #expect(lines(grown)[43].hasPrefix("└") && DisplayWidth.of(lines(grown)[43]) == 130)
    }

    /// Quitting restores the terminal: the shell's own screen is back, the probe's is gone.
    @Test func quitRestoresTheTerminal() async throws {
        let session = try startProbe()
        try await session.waitFor(text: "Skiff curses probe")
        try session.sendLiteral("q")
        let pane = try await session.waitFor(text: "probe exited 0")
        #expect(pane.contains("probe: bye"))
        #expect(!pane.contains("Skiff curses probe"))
    }

    /// SIGTERM restores the terminal and ends the program with the signal's status (143).
    @Test func terminationSignalRestoresTheTerminal() async throws {
        let session = try startProbe()
        let pane = try await session.waitFor(text: "pid: ")
        let pidText = try #require(pane.split(separator: "pid: ").last?.prefix { $0.isNumber })
        let pid = try #require(Int32(pidText))
        #expect(kill(pid, SIGTERM) == 0)
        let after = try await session.waitFor(text: "probe exited 143")
        #expect(!after.contains("Skiff curses probe"))
    }

    /// A crash (a Swift trap) restores the terminal before the process dies of the signal. Swift's
    /// backtracer writes its report to standard output and waits for a key when it sees a
    /// terminal, unless SWIFT_BACKTRACE says otherwise: here it goes to the log.
    @Test func crashRestoresTheTerminal() async throws {
        let log = FileManager.default.temporaryDirectory.path + "/skiff-probe-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let session = try startProbe(
            ["--log", log], environment: ["SWIFT_BACKTRACE": "enable=yes,interactive=no,output-to=stderr"])
        try await session.waitFor(text: "last key: none")
        try session.sendLiteral("!")
        let pane = try await session.waitFor(text: "probe exited 132", timeout: .seconds(30))  // SIGILL
        #expect(!pane.contains("Skiff curses probe"))
        #expect(!pane.contains("Fatal error"))
        let written = try String(contentsOfFile: log, encoding: .utf8)
        #expect(written.contains("Fatal error: Unexpectedly found nil"))
    }

    /// Ctrl-C ends the program through SIGINT (status 130) with the terminal restored; with
    /// `deliverAsKey` it arrives as a key instead.
    @Test func controlC() async throws {
        let session = try startProbe()
        try await session.waitFor(text: "last key: none")
        try session.sendKeys("C-c")
        let pane = try await session.waitFor(text: "probe exited 130")
        #expect(!pane.contains("Skiff curses probe"))

        let asKey = try startProbe(["--keys-as-control"])
        try await asKey.waitFor(text: "last key: none")
        try asKey.sendKeys("C-c")
        try await asKey.waitFor(text: "last key: ctrl-c")
    }

    /// Standard error goes to the log file, never onto the screen.
    @Test func standardErrorGoesToTheLog() async throws {
        let log = FileManager.default.temporaryDirectory.path + "/skiff-probe-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let session = try startProbe(["--log", log])
        try await session.waitFor(text: "last key: none")
        try session.sendLiteral("e")
        let pane = try await session.waitFor(text: "last key: char e")
        #expect(!pane.contains("standard error"))
        let written = try String(contentsOfFile: log, encoding: .utf8)
        #expect(written.contains("probe: a line on standard error"))
    }

    /// Without colours every role still shows, through attributes (reverse for bars).
    @Test func monochromeUsesAttributes() async throws {
        let session = try startProbe(["--no-color"])
        try await session.waitFor(text: "colors: no")
        let escaped = try session.capture(escapes: true)
        #expect(escaped.contains("\u{1B}[7m") || escaped.contains(";7m"))
        #expect(!escaped.contains("44m"))
    }

    /// scripts/screenshot.py renders the probe's pane to a PNG of the pane's size in cells.
    @Test(
        .enabled(
            if: TmuxSession.canTakeScreenshots,
            "screenshots need python3 with pyte and pillow (pip) and fonts-dejavu-core, fonts-wqy-microhei (apt)"))
    func screenshot() async throws {
        let session = try startProbe()
        try await session.waitFor(text: "e write to stderr")
        let path = FileManager.default.temporaryDirectory.path + "/skiff-probe-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try session.screenshot(to: path)
        let png = try #require(FileManager.default.contents(atPath: path))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width > 120 * 8 && height > 40 * 16, "\(width)x\(height)")
    }
}
