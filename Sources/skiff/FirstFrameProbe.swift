import CursesTerminal
import Foundation
import TerminalUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `SKIFF_FIRST_FRAME_FILE=path skiff ui …`: instrumentation for `scripts/bench_system.py`.
///
/// When the variable is set, the UI writes to `path` (atomically: a whole file or none) the
/// milliseconds from the start of this process to the end of its first frame with real content, as
/// a decimal number and a newline, once. "Real content" = the topics screen's list as loaded from
/// the broker (`TopicsState.loaded`), drawn and flushed to the terminal; the frames before it
/// ("connecting", an empty list waiting for the first ListTopics) do not count. With the bundled
/// broker this includes opening its data directory, which happens before the UI starts.
///
/// Process start is the kernel's start time of the process (`/proc/self/stat` field 22, clock ticks
/// since boot, `sysconf(_SC_CLK_TCK)` per second; the kernel counts it on CLOCK_BOOTTIME, like
/// `/proc/uptime`), compared with CLOCK_BOOTTIME now. The tick is 10 ms and the start time is rounded
/// down, so the figure errs high by up to one tick. It is the fork of the process, so a wrapper that
/// execs `skiff` (as `sh -c 'exec skiff'`) counts its own start too. Linux only; elsewhere nothing is
/// written.
enum FirstFrameProbe {
    /// Sets `app.didDraw` when `SKIFF_FIRST_FRAME_FILE` is set in `environment`.
    static func install(on app: App, environment: [String: String]) {
        guard let path = environment["SKIFF_FIRST_FRAME_FILE"], !path.isEmpty else { return }
        var written = false
        app.didDraw = { state in
            guard !written, state.topics.loaded else { return }
            written = true
            guard let elapsed = millisecondsSinceProcessStart() else { return }
            try? (String(format: "%.1f", elapsed) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// Milliseconds since this process started, or nil where `/proc` cannot tell.
    static func millisecondsSinceProcessStart() -> Double? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the parenthesised command name start with field 3 (state).
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard fields.count > 19, let startTicks = Double(fields[22 - 3]), ticksPerSecond > 0 else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        let nowMs = Double(now.tv_sec) * 1_000 + Double(now.tv_nsec) / 1_000_000
        return nowMs - startTicks / ticksPerSecond * 1_000
        #else
        return nil
        #endif
    }
}

/// `SKIFF_PASTE_PROBE_FILE=path skiff ui …`: instrumentation for the paste benchmark
/// (`scripts/bench_system.py`, "paste 100 KB into the value field").
///
/// After the first frame drawn once a bracketed paste was read, the UI appends to `path` one line:
/// the pasted characters and the milliseconds from reading the paste's start marker to the end of
/// that frame (flushed to the terminal): reading the paste, inserting it, validating the form
/// and drawing it. Terminal transfer before the start marker is not counted.
enum PasteProbe {
    static func install(on app: App, terminal: CursesTerminal, environment: [String: String]) {
        guard let path = environment["SKIFF_PASTE_PROBE_FILE"], !path.isEmpty else { return }
        var reported: UInt64 = 0
        let previous = app.didDraw
        app.didDraw = { state in
            previous?(state)
            guard let paste = terminal.lastPaste, paste.startedNanoseconds != reported else { return }
            reported = paste.startedNanoseconds
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let nowNs = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
            let ms = Double(nowNs - paste.startedNanoseconds) / 1_000_000
            let line = "\(paste.characters) " + String(format: "%.2f", ms) + "\n"
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                handle.write(Data(line.utf8))
                try? handle.close()
            } else {
                try? line.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
    }
}
