import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What went wrong driving tmux; a timeout carries the whole pane.
struct TmuxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A program running in a pane of a private tmux server, for end-to-end tests: type keys, resize,
/// and read the screen back (fzf's `test/lib/common.rb` in Swift).
///
/// Each session has its own server (`tmux -L <unique> -f /dev/null`, so no user configuration),
/// one window of a fixed size, and runs its command under `env LANG=C.UTF-8 TERM=tmux-256color`
/// with a small fixed environment (PATH, HOME, USER, LOGNAME, TMPDIR and what the caller adds).
/// The server is started with `posix_spawn`, an empty signal mask and default signal actions
/// (test threads block most signals and children inherit that, so the server and the program
/// would never see SIGCHLD, SIGWINCH or SIGTERM), and with its output on /dev/null (a server
/// holding a pipe open would hang the caller). The pane stays after the program exits
/// (`remain-on-exit`), so what it printed last can still be read. The server is killed by
/// ``kill()`` or when the session is deinitialized.
final class TmuxSession {
    /// The tmux executable, nil when tmux is not installed.
    static let tmuxPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/tmux", X_OK) == 0 {
            return "\(directory)/tmux"
        }
        return nil
    }()

    /// Whether tmux is installed.
    static var isAvailable: Bool { tmuxPath != nil }

    private static let sessionCounter = Atomic<Int>(0)

    /// The private server's socket name (`tmux -L`).
    let socketName: String
    /// The session (and target) name.
    let target = "e2e"
    private let tmux: String
    private let environment: [String]
    private var killed = false
    /// The server's socket file; tmux leaves it behind, so ``kill()`` removes it.
    private var socketPath: String?

    /// Starts a private tmux server running `command` (program and arguments) in a
    /// `width`×`height` pane; `environment` is added to the command's environment.
    init(command: [String], width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        guard let tmux = Self.tmuxPath else { throw TmuxError(message: "tmux is not installed") }
        self.tmux = tmux
        let number = Self.sessionCounter.add(1, ordering: .relaxed).newValue
        socketName = "skiff-e2e-\(getpid())-\(number)"
        // A small, fixed environment, so the pane behaves the same on every machine (no TMUX, no
        // NO_COLOR or COLUMNS from the caller's shell).
        let inherited = ProcessInfo.processInfo.environment
        var env = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
        for name in ["HOME", "USER", "LOGNAME", "TMPDIR"] { env[name] = inherited[name] }
        self.environment = env.map { "\($0.key)=\($0.value)" }

        var paneCommand = ["env", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=tmux-256color"]
        paneCommand += environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }
        paneCommand += command
        let result = try Spawn.run(
            tmux,
            // One command list: the options are set before the server's event loop could notice
            // the command exit, so even a command that exits at once leaves a dead pane behind.
            [
                "-L", socketName, "-f", "/dev/null", "new-session", "-d", "-s", target, "-x", "\(width)", "-y",
                "\(height)",
            ]
                + ["--"] + paneCommand
                + [";", "set-option", "-g", "remain-on-exit", "on", ";", "set-option", "-g", "status", "off"],
            environment: self.environment, captureOutput: false)
        guard result.status == 0 else {
            throw TmuxError(message: "tmux new-session failed with status \(result.status)")
        }
        socketPath = try? display("#{socket_path}")
    }

    deinit { kill() }

    // MARK: - Input

    /// Sends tmux key names (`Up`, `Enter`, `Escape`, `BSpace`, `F5`, `C-x`, `BTab`, …).
    func sendKeys(_ keys: String...) throws {
        try client(["send-keys", "-t", target] + keys)
    }

    /// Types `text` literally (`send-keys -l`).
    func sendLiteral(_ text: String) throws {
        try client(["send-keys", "-t", target, "-l", "--", text])
    }

    /// Pastes `text` as a terminal does (`load-buffer` + `paste-buffer -p`): inside bracketed-paste
    /// markers when the program turned bracketed paste on, else as plain typed input.
    func paste(_ text: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-paste-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let buffer = "skiff-test-paste"
        try client(["load-buffer", "-b", buffer, file.path])
        try client(["paste-buffer", "-p", "-d", "-b", buffer, "-t", target])
    }

    /// Runs a tmux command on this session's server (`set-option -g set-clipboard on`,
    /// `show-buffer`) and returns what it printed.
    @discardableResult
    func command(_ arguments: String...) throws -> String {
        try client(arguments)
    }

    /// Resizes the window; the program gets a real SIGWINCH.
    func resize(width: Int, height: Int) throws {
        try client(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
    }

    // MARK: - Output

    /// The pane's text, one line per row (`capture-pane -p`); with `escapes`, with colours and
    /// attributes as SGR escape sequences (`-e`); with `history`, preceded by the lines scrolled
    /// off the top (tmux scrolls a dead pane's last screen up to show "Pane is dead").
    func capture(escapes: Bool = false, history: Bool = false) throws -> String {
        try client(["capture-pane", "-p", "-t", target] + (escapes ? ["-e"] : []) + (history ? ["-S", "-"] : []))
    }

    /// The pane's size in cells.
    func paneSize() throws -> (width: Int, height: Int) {
        let fields = try display("#{pane_width} #{pane_height}").split(separator: " ").compactMap { Int($0) }
        guard fields.count == 2 else { throw TmuxError(message: "cannot read the pane size") }
        return (fields[0], fields[1])
    }

    /// Whether the program has ended (the pane stays, `remain-on-exit`).
    func isDead() throws -> Bool {
        try display("#{pane_dead}") == "1"
    }

    /// The program's exit status once it has ended and tmux has learned it; nil before. tmux 3.3
    /// under load sometimes sees the pane close but never reaps the process, and then never
    /// learns the status: a test that needs the status should have its command print it.
    func exitStatus() throws -> Int? {
        let fields = try display("#{pane_dead} #{pane_dead_status}").split(separator: " ")
        guard fields.first == "1", fields.count > 1 else { return nil }
        return Int(fields[1])
    }

    /// A tmux format evaluated for the pane (`display-message -p`).
    func display(_ format: String) throws -> String {
        try client(["display-message", "-p", "-t", target, format]).trimmingCharacters(in: .newlines)
    }

    /// Polls the pane every 50 ms until it contains `text`; returns the pane. On timeout throws
    /// an error that shows the whole pane.
    @discardableResult
    func waitFor(text: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await waitUntil("the pane shows \"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Polls the pane every 50 ms until `condition` holds; returns the pane. On timeout throws an
    /// error naming `what` and showing the whole pane.
    @discardableResult
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(10), _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var pane = ""
        while true {
            pane = try capture()
            if condition(pane) { return pane }
            if ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TmuxError(message: "timed out after \(timeout) waiting until \(what); the pane:\n\(Self.framed(pane))")
    }

    /// `pane` with a ruler, so trailing spaces and alignment show in a test failure.
    static func framed(_ pane: String) -> String {
        let lines = pane.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.enumerated().map { String(format: "%3d|", $0.offset) + $0.element }.joined(separator: "\n")
    }

    /// Renders the pane to a PNG at `path` with `scripts/screenshot.py` (Python 3 with the PyPI
    /// packages pyte and pillow, fonts from Debian's fonts-dejavu-core and fonts-wqy-microhei).
    func screenshot(to path: String) throws {
        guard let script = Self.screenshotScript else { throw TmuxError(message: "scripts/screenshot.py not found") }
        let result = try Spawn.run(
            "/usr/bin/env", ["python3", script, "--socket", socketName, "--target", target, "--out", path],
            environment: environment, captureOutput: true)
        guard result.status == 0 else {
            throw TmuxError(message: "screenshot.py failed (\(result.status)): \(result.output)")
        }
    }

    /// `scripts/screenshot.py` of this checkout.
    static let screenshotScript: String? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("scripts/screenshot.py").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// Whether screenshots can be taken here: the script, python3, pyte, pillow and the fonts.
    static let canTakeScreenshots: Bool = {
        guard screenshotScript != nil else { return false }
        let fonts = ["dejavu/DejaVuSansMono.ttf", "wqy/wqy-microhei.ttc"].allSatisfy {
            FileManager.default.fileExists(atPath: "/usr/share/fonts/truetype/\($0)")
        }
        let env = ["PATH=" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        let probe = try? Spawn.run(
            "/usr/bin/env", ["python3", "-c", "import pyte, PIL"], environment: env, captureOutput: true)
        return fonts && probe?.status == 0
    }()

    /// Stops the server (and the program). Safe to call more than once.
    func kill() {
        guard !killed else { return }
        killed = true
        _ = try? Spawn.run(tmux, ["-L", socketName, "kill-server"], environment: environment, captureOutput: false)
        if let socketPath, !socketPath.isEmpty { unlink(socketPath) }
    }

    @discardableResult
    private func client(_ arguments: [String]) throws -> String {
        let result = try Spawn.run(tmux, ["-L", socketName] + arguments, environment: environment, captureOutput: true)
        guard result.status == 0 else {
            throw TmuxError(
                message: "tmux \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.output)")
        }
        return result.output
    }
}

/// `posix_spawn` with an empty signal mask, default signal actions, standard input from
/// /dev/null and no inherited descriptors other than 0–2.
enum Spawn {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `pipe2` and `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's
    /// Glibc module does not show; looked up at run time, so older C libraries still work.
    private static let pipe2 = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addCloseFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }
    /// Serializes pipe creation with spawning where `pipe2` is missing, so no child inherits
    /// another call's pipe before it is marked close-on-exec.
    private static let spawnLock = Mutex<Void>(())

    /// A pipe whose ends are close-on-exec (a child only gets the end dup2'ed onto its stdout).
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        if let pipe2 { return pipe2(&ends, O_CLOEXEC) == 0 }
        guard pipe(&ends) == 0 else { return false }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return true
    }
    /// Runs `path` with `arguments`, waits for it, and returns its exit status (128 + signal
    /// when killed) and, with `captureOutput`, its standard output and error.
    static func run(
        _ path: String, _ arguments: [String], environment: [String], captureOutput: Bool
    ) throws -> (status: Int32, output: String) {
        #if canImport(Glibc)
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #else
        var attributes: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pipeEnds: [Int32] = [-1, -1]
        var pid: pid_t = 0
        let spawned = try spawnLock.withLock { _ throws(TmuxError) -> Int32 in
            if captureOutput {
                guard makePipe(&pipeEnds) else { throw TmuxError(message: "pipe: \(errno)") }
                posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
                posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
            } else {
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
            _ = addCloseFrom.map { $0(&actions, 3) }
            return posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        }
        if captureOutput { close(pipeEnds[1]) }
        guard spawned == 0 else {
            if captureOutput { close(pipeEnds[0]) }
            throw TmuxError(message: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        var output: [UInt8] = []
        if captureOutput {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
                if n > 0 {
                    output += chunk[0..<n]
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(pipeEnds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        let exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return (exitStatus, String(decoding: output, as: UTF8.self))
    }
}
