import Foundation

/// A failure with a message meant for the test log.
struct CompatFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child process whose output goes to temporary files (no pipes, so nothing can block), killed
/// with SIGKILL and its files removed when it is released.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let command: String
    private let directory: URL
    private let stdoutURL: URL
    private let stderrURL: URL

    /// Starts `executable arguments…` with `stdin` as its standard input and `environment` added to
    /// (or replacing, where a value is nil: removing) the test's own.
    init(
        _ executable: String, _ arguments: [String], stdin: Data = Data(), environment extra: [String: String?] = [:],
        currentDirectory: String? = nil
    ) throws {
        command = ([executable] + arguments).joined(separator: " ")
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-compat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        let stdinURL = directory.appendingPathComponent("stdin")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        try stdin.write(to: stdinURL)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw CompatFailure("cannot start \(command): \(error)")
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    var stdoutData: Data { (try? Data(contentsOf: stdoutURL)) ?? Data() }
    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: (try? Data(contentsOf: stderrURL)) ?? Data(), as: UTF8.self) }
    var isRunning: Bool { process.isRunning }

    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit and returns its status; kills it and throws after `timeout`.
    @discardableResult
    func wait(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw CompatFailure(
                    "\(command) did not exit within \(timeout)\n--- stdout:\n\(stdout.suffix(4000))\n--- stderr:\n\(stderr.suffix(4000))"
                )
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// What a finished command did.
struct Finished: CustomStringConvertible {
    var command: String
    var status: Int32
    var stdout: Data
    var stderr: String

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var lines: [String] { stdoutText.split(separator: "\n").map(String.init) }

    var description: String {
        "\(command) exited \(status)\n--- stdout:\n\(stdoutText.suffix(3000))\n--- stderr:\n\(stderr.suffix(3000))"
    }
}

/// Runs a command to completion.
func run(
    _ executable: String, _ arguments: [String], stdin: Data = Data(), environment: [String: String?] = [:],
    currentDirectory: String? = nil, timeout: Duration = .seconds(60)
) async throws -> Finished {
    let child = try ChildProcess(
        executable, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory)
    let status = try await child.wait(timeout: timeout)
    return Finished(command: child.command, status: status, stdout: child.stdoutData, stderr: child.stderr)
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration, every interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}

/// The last `count` lines of `text`, each cut to `width` characters.
func tail(_ text: String, lines count: Int, width: Int = 400) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count)
        .map { $0.count > width ? $0.prefix(width) + "…" : $0 }.joined(separator: "\n")
}

/// Lets at most `limit` scenarios run at once: each starts a broker and a client process, and the
/// machine (2 cores in CI) also runs the other test targets.
actor Gate {
    static let scenarios = Gate(
        limit: Int(ProcessInfo.processInfo.environment["SKIFF_COMPAT_JOBS"] ?? "") ?? 3)

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(1, limit) }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
