import CNcurses
import Foundation
import SkiffText
import TerminalUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the terminal could not be set up.
public enum CursesTerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// curses could not start on this terminal (no terminal, or `TERM` names one it does not know).
    case cannotStart(term: String)
    /// The standard-error log file could not be opened.
    case cannotOpenLog(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotStart(let term):
            "cannot start the terminal UI: TERM=\(term.isEmpty ? "(unset)" : term) is unknown or this is not a terminal"
        case .cannotOpenLog(let path, let reason):
            "cannot open the log file \(path): \(reason)"
        }
    }
}

/// The real terminal: TerminalUI's ``Terminal`` implemented with ncurses (wide-character build).
///
/// This is the only type in Skiff that talks to curses. It starts curses mode in `init` (after
/// `setlocale(LC_ALL, "")`, so CJK text and box-drawing characters work in a UTF-8 locale),
/// maps ``StyleRole``s to colours in one table, draws only the cells that changed since the
/// previous frame, and decodes keys. The terminal is restored by ``restore()``, on SIGINT,
/// SIGTERM, SIGHUP and SIGQUIT, on a crash and at `exit()`.
///
/// Use it from one thread. Only one may be active at a time.
public final class CursesTerminal: Terminal {
    /// Whether to use colours.
    public enum ColorMode: Sendable {
        /// Colours when the terminal has them and the `NO_COLOR` environment variable is unset.
        case automatic
        /// Attributes only (bold, reverse, underline, dim).
        case never
    }

    /// What Ctrl-C does.
    public enum InterruptBehavior: Sendable {
        /// The terminal sends SIGINT: the terminal is restored and the process ends (curses'
        /// cbreak mode).
        case restoreAndExit
        /// Ctrl-C arrives as `Key.control("c")`, so the program can shut down in its own way
        /// (curses' raw mode; Ctrl-Z and Ctrl-\ then arrive as keys too). `kill -INT` still
        /// restores the terminal and ends the process.
        case deliverAsKey
    }

    /// Whether SIGTERM and SIGHUP arrive as ``Key/terminate`` (the first of them; a second one
    /// restores the terminal and ends the process): for programs that clean up as they quit.
    public static func deliverTerminationAsKey() {
        TerminalRestoration.quitOnTerminate.store(true, ordering: .releasing)
    }

    /// Whether colours are in use (false on a monochrome terminal or with ``ColorMode/never``).
    public let usesColor: Bool
    /// The symbols this terminal can show, from the locale's character set after
    /// `setlocale(LC_ALL, "")`: Unicode under UTF-8, ASCII otherwise (`LANG=C`), where curses
    /// could only draw the UI's own symbols as `?`.
    public let glyphs: Glyphs
    private let window: UnsafeMutablePointer<WINDOW>
    private let colorCount: Int
    private var previous: ScreenBuffer?
    private var needsFullRedraw = true
    private var active = true
    /// Attributes and colour pair per role, plain and bold, indexed by `role.rawValue * 2 + bold`.
    private var looks: [(attributes: attr_t, pair: Int16)] = []

    /// Starts curses mode on the process's terminal (standard input and output).
    ///
    /// Call it on the main thread before starting other threads where possible: it unblocks the
    /// signals the terminal needs (SIGWINCH, SIGTERM, SIGINT, …) in the calling thread, because a
    /// program started by a test runner inherits a mask that blocks them.
    /// - Throws: ``CursesTerminalError/cannotStart(term:)`` when there is no usable terminal.
    public init(
        colors: ColorMode = .automatic, interrupt: InterruptBehavior = .restoreAndExit
    )
        throws(CursesTerminalError)
    {
        setlocale(LC_ALL, "")
        glyphs = Self.localeGlyphs()
        TerminalRestoration.unblockSignals()
        TerminalRestoration.install()
        guard newterm(nil, skiff_stdout(), skiff_stdin()) != nil, let window = skiff_stdscr() else {
            throw .cannotStart(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        TerminalRestoration.cursesModeActive.store(true, ordering: .releasing)
        self.window = window
        switch interrupt {
        case .restoreAndExit: cbreak()
        case .deliverAsKey: raw()
        }
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        // Bracketed paste (xterm, tmux, most terminals): a paste arrives between ESC [200~ and
        // ESC [201~, which curses reports as these two key codes; see readPaste().
        define_key("\u{1B}[200~", Self.pasteStart)
        define_key("\u{1B}[201~", Self.pasteEnd)
        fputs("\u{1B}[?2004h", skiff_stdout())
        fflush(skiff_stdout())
        curs_set(0)
        leaveok(window, true)
        intrflush(window, false)

        var colored = false
        if colors == .automatic, getenv("NO_COLOR") == nil, has_colors(), start_color() == OK,
            skiff_color_pairs() > StyleRole.allCases.count
        {
            colored = true
        }
        usesColor = colored
        colorCount = colored ? Int(skiff_colors()) : 0
        looks = Self.makeLooks(colored: colored, colorCount: colorCount)
    }

    deinit {
        restore()
    }

    /// The glyph set for the current locale's character set (`nl_langinfo(CODESET)`); call after
    /// `setlocale(LC_ALL, "")`.
    public static func localeGlyphs() -> Glyphs {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return .ascii }
        return Glyphs.forCodeset(String(cString: codeset))
    }

    // MARK: - Terminal

    /// The current size in cells.
    public var size: TerminalSize {
        TerminalSize(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    /// Shows `buffer`, writing only the cells that differ from the previous frame (everything
    /// after a resize or when the size changed). Wide graphemes are drawn once, by their left
    /// cell; a continuation cell without its wide left half is drawn as a space.
    public func draw(_ buffer: ScreenBuffer) {
        guard active else { return }
        let full = needsFullRedraw || previous?.size != buffer.size
        if full {
            werase(window)
            clearok(window, true)
            needsFullRedraw = false
        }
        let old = full ? nil : previous
        let height = min(buffer.height, Int(getmaxy(window)))
        let width = min(buffer.width, Int(getmaxx(window)))
        for y in 0..<max(0, height) {
            drawRow(y, of: buffer, width: width, comparedTo: old)
        }
        previous = buffer
        wnoutrefresh(window)
        doupdate()
    }

    /// Waits up to `timeoutMilliseconds` (negative: forever) for a key; nil when none arrived or
    /// the key is one Skiff has no use for. ``Key/resize`` makes the next ``draw(_:)`` repaint
    /// the whole screen.
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard active else { return nil }
        if TerminalRestoration.quitRequested.load(ordering: .acquiring) { return .terminate }
        wtimeout(window, Int32(clamping: timeoutMilliseconds))
        var code: wint_t = 0
        let result = wget_wch(window, &code)
        guard result != ERR else { return nil }
        if result == KEY_CODE_YES && Int32(bitPattern: code) == Self.pasteStart { return readPaste() }
        let key = Self.key(code: UInt32(code), isFunctionKey: result == KEY_CODE_YES)
        if key == .resize { needsFullRedraw = true }
        return key
    }

    /// The key codes curses reports for the start and the end of a bracketed paste.
    static let pasteStart = skiff_key_max() + 1
    static let pasteEnd = skiff_key_max() + 2
    /// The most characters one paste delivers (the rest is dropped, not typed as keys).
    static let pasteLimit = 16 << 20

    /// Collects a bracketed paste after its start marker, up to its end marker (or a pause of
    /// half a second, should the end marker never come): the text as one ``Key/paste(_:)``, with a
    /// carriage return as a newline and nothing run as a key command.
    ///
    /// The bytes are read straight from the terminal, not through curses: curses reads its input
    /// one byte per system call, which made a 100 KB paste take half a second (tmux delivers it in
    /// under 2 ms). Curses has consumed exactly the start marker when it reports it, so nothing is
    /// left in its queue; bytes read past the end marker (keys typed right after) are handed back
    /// to curses with `unget_wch`.
    private func readPaste() -> Key {
        var started = timespec()
        clock_gettime(CLOCK_MONOTONIC, &started)
        let endMarker: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // ESC [ 2 0 1 ~
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var end: Int?
        while end == nil && bytes.count < Self.pasteLimit {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 500) > 0 else { break }
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count <= 0 {
                if count < 0 && errno == EINTR { continue }
                break
            }
            let searchFrom = max(0, bytes.count - endMarker.count + 1)
            bytes.append(contentsOf: chunk[0..<count])
            end = Self.find(endMarker, in: bytes, from: searchFrom)
        }
        var text = bytes[..<(end ?? bytes.count)]
        if text.count > Self.pasteLimit { text = text.prefix(Self.pasteLimit) }
        if let end {
            // Keys typed after the paste go back to curses, last first.
            let rest = String(decoding: bytes[(end + endMarker.count)...], as: UTF8.self)
            for scalar in rest.unicodeScalars.reversed() { unget_wch(wchar_t(scalar.value)) }
        }
        var decoded = String(decoding: text, as: UTF8.self)
        decoded = decoded.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        lastPaste = (UInt64(started.tv_sec) * 1_000_000_000 + UInt64(started.tv_nsec), decoded.count)
        return .paste(decoded)
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The last bracketed paste: when its start marker was read (CLOCK_MONOTONIC, nanoseconds)
    /// and how many characters it held. For the paste benchmark (`SKIFF_PASTE_PROBE_FILE`).
    public private(set) var lastPaste: (startedNanoseconds: UInt64, characters: Int)?

    /// Leaves curses mode (`endwin`), restoring the terminal. Safe to call more than once.
    /// OSC 52 (`ESC ] 52 ; c ; base64 BEL`): xterm, kitty, iTerm2, WezTerm, Windows Terminal and
    /// tmux (with `set-clipboard on`) put the bytes on the clipboard, also over SSH.
    public func copyToClipboard(_ bytes: [UInt8]) {
        fputs("\u{1B}]52;c;" + Data(bytes).base64EncodedString() + "\u{07}", skiff_stdout())
        fflush(skiff_stdout())
    }

    public func restore() {
        guard active else { return }
        active = false
        TerminalRestoration.leaveCursesMode()
    }

    // MARK: - Standard error

    /// Sends everything written to standard error (logs, warnings, crash reports) to the file at
    /// `path` (appending, created if missing), because any byte written to the terminal while
    /// curses runs corrupts the screen. Call it before creating the terminal.
    /// - Returns: a duplicate of the previous standard error, for
    ///   ``restoreStandardError(from:)`` once the UI has ended.
    @discardableResult
    public static func redirectStandardError(toFile path: String) throws(CursesTerminalError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .cannotOpenLog(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let saved = dup(STDERR_FILENO)
        guard dup2(fd, STDERR_FILENO) >= 0 else {
            if saved >= 0 { close(saved) }
            throw .cannotOpenLog(path: path, reason: String(cString: strerror(errno)))
        }
        return saved
    }

    /// Points standard error back at `savedDescriptor` (from
    /// ``redirectStandardError(toFile:)``) and closes that duplicate.
    public static func restoreStandardError(from savedDescriptor: Int32) {
        guard savedDescriptor >= 0 else { return }
        dup2(savedDescriptor, STDERR_FILENO)
        close(savedDescriptor)
    }

    // MARK: - Keys

    /// Decodes what `wget_wch` delivered: `isFunctionKey` when it returned `KEY_CODE_YES`.
    static func key(code: UInt32, isFunctionKey: Bool) -> Key? {
        if isFunctionKey {
            let code = Int32(bitPattern: code)
            switch code {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_BTAB: return .backTab
            case KEY_RESIZE: return .resize
            case skiff_key_f(1)...skiff_key_f(12): return .function(Int(code - skiff_key_f(0)))
            default: return nil
            }
        }
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(code + 0x60))))
        case 0..<32, 0x80..<0xA0: return nil
        default: return Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }

    // MARK: - Drawing

    private func drawRow(_ y: Int, of buffer: ScreenBuffer, width: Int, comparedTo old: ScreenBuffer?) {
        // Which cells differ; around a wide grapheme (old or new) the neighbours count too,
        // because curses blanks the other half of a wide character when one half is overwritten.
        var dirty = [Bool](repeating: old == nil, count: width)
        if let old {
            var any = false
            for x in 0..<width where buffer[x, y] != old[x, y] {
                dirty[x] = true
                any = true
            }
            guard any else { return }
            for x in 0..<width where buffer[x, y] != old[x, y] {
                if isWideOrContinuation(buffer[x, y]) || isWideOrContinuation(old[x, y]) {
                    if x > 0 { dirty[x - 1] = true }
                    if x + 1 < width { dirty[x + 1] = true }
                }
            }
        }
        var x = 0
        while x < width {
            let cell = buffer[x, y]
            let look = looks[Int(cell.role.rawValue) * 2 + (cell.bold ? 1 : 0)]
            if cell.isContinuation {
                // Its wide left half draws it; an orphan (left half overwritten) is a space.
                let owned = x > 0 && !buffer[x - 1, y].isContinuation && DisplayWidth.of(buffer[x - 1, y].text) == 2
                if !owned && dirty[x] { put(" ", x: x, y: y, look: look) }
                x += 1
                continue
            }
            let width2 = DisplayWidth.of(cell.text) == 2
            let isWide = width2 && x + 1 < width && buffer[x + 1, y].isContinuation
            guard dirty[x] || (isWide && dirty[x + 1]) else {
                x += 1
                continue
            }
            if isWide {
                if put(cell.text, x: x, y: y, look: look, columns: 2) == 1 {
                    // The C library thinks it is narrow: keep the grid aligned with a space.
                    put(" ", x: x + 1, y: y, look: look)
                }
                x += 2
            } else {
                put(width2 || cell.text.isEmpty ? " " : cell.text, x: x, y: y, look: look)
                x += 1
            }
        }
    }

    private func isWideOrContinuation(_ cell: Cell) -> Bool {
        cell.isContinuation || DisplayWidth.of(cell.text) == 2
    }

    /// Puts one grapheme at (x, y); returns the columns curses will use for it. A grapheme the C
    /// library measures differently from `columns` (or cannot print) becomes `?`.
    @discardableResult
    private func put(
        _ text: String, x: Int, y: Int, look: (attributes: attr_t, pair: Int16), columns: Int = 1
    )
        -> Int
    {
        var characters = Self.wideCharacters(of: text)
        var used = Int(wcwidth(characters[0]))
        if used != columns && !(columns == 2 && used == 1) {
            characters = [wchar_t(UInt8(ascii: "?")), 0]
            used = 1
        }
        var cell = cchar_t()
        setcchar(&cell, characters, look.attributes, look.pair, nil)
        mvwadd_wch(window, Int32(y), Int32(x), &cell)
        return used
    }

    /// A grapheme as curses stores it in a cell: one spacing character followed by at most
    /// four combining ones (a ZWJ sequence keeps its first emoji), zero-terminated.
    static func wideCharacters(of text: String) -> [wchar_t] {
        var out: [wchar_t] = []
        for scalar in text.unicodeScalars {
            if out.isEmpty {
                out.append(wchar_t(bitPattern: scalar.value))
                continue
            }
            if scalar.value == 0x200D || out.count >= 5 { break }
            if DisplayWidth.of(scalar) == 0 || scalar.value == 0xFE0F {
                out.append(wchar_t(bitPattern: scalar.value))
            } else {
                break
            }
        }
        if out.isEmpty { out.append(wchar_t(UInt8(ascii: " "))) }
        out.append(0)
        return out
    }

    // MARK: - Colours

    private static func makeLooks(colored: Bool, colorCount: Int) -> [(attributes: attr_t, pair: Int16)] {
        var defaultColors = false
        if colored { defaultColors = use_default_colors() == OK }
        var looks: [(attributes: attr_t, pair: Int16)] = []
        for role in StyleRole.allCases {
            let appearance = RolePalette.appearance(of: role, colorCount: colorCount)
            var attributes: attr_t
            var pair: Int16 = 0
            if colored {
                pair = Int16(role.rawValue) + 1
                let foreground =
                    appearance.foreground == .default && !defaultColors
                    ? RolePalette.Color.white.rawValue : appearance.foreground.rawValue
                let background =
                    appearance.background == .default && !defaultColors
                    ? RolePalette.Color.black.rawValue : appearance.background.rawValue
                init_pair(pair, foreground, background)
                attributes = cursesAttributes(appearance.attributes)
            } else {
                attributes = cursesAttributes(appearance.monochrome)
            }
            looks.append((attributes, pair))
            looks.append((attributes | skiff_a_bold(), pair))
        }
        return looks
    }

    private static func cursesAttributes(_ attributes: RolePalette.Attributes) -> attr_t {
        var out = skiff_a_normal()
        if attributes.contains(.bold) { out |= skiff_a_bold() }
        if attributes.contains(.dim) { out |= skiff_a_dim() }
        if attributes.contains(.reverse) { out |= skiff_a_reverse() }
        if attributes.contains(.underline) { out |= skiff_a_underline() }
        return out
    }
}
