import Foundation
import SkiffTestSupport

#if canImport(Glibc)
import Glibc
#endif

// `skiff` and `skiff broker` child processes for the end-to-end tests of the real binary; the
// binary is found by SkiffTestSupport's `SkiffBinary`.

/// A failure with a message meant for the test log.
struct SkiffTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A `skiff` child process whose output goes to temporary files (no pipes, so nothing blocks).
final class SkiffChild: @unchecked Sendable, CustomStringConvertible {
    let process = Process()
    let arguments: [String]
    private let directory: URL

    /// Starts `skiff arguments…` with `stdin` as its standard input.
    init(_ arguments: [String], stdin: String = "") throws {
        self.arguments = arguments
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["stdout", "stderr"] { try Data().write(to: directory.appendingPathComponent(name)) }
        try Data(stdin.utf8).write(to: directory.appendingPathComponent("stdin"))
        process.executableURL = URL(fileURLWithPath: try SkiffBinary.require())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SKIFF_BROKER"] = nil
        environment["SKIFF_DATA_DIR"] = nil
        environment["SKIFF_AUTH_TOKEN"] = nil
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: directory.appendingPathComponent("stdin"))
        process.standardOutput = try FileHandle(forWritingTo: directory.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: directory.appendingPathComponent("stderr"))
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }

    var stdout: String { read("stdout") }
    var stderr: String { read("stderr") }

    private func read(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    /// Waits for the process to exit and returns its status; kills it and throws after `timeout`.
    @discardableResult
    func wait(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw SkiffTestError("\(self) did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    var description: String {
        "skiff \(arguments.joined(separator: " "))\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)"
    }
}

/// A `skiff broker` child on a free loopback port, and the CLI pointed at it.
final class BrokerChild: Sendable {
    let child: SkiffChild
    let dataDirectory: String
    let port: Int

    var address: String { "127.0.0.1:\(port)" }

    /// Starts `skiff broker --listen 127.0.0.1:PORT --data-dir dataDirectory` (port 0: a free one)
    /// (and `extraArguments`) and reads the port from its `listening` line.
    static func start(dataDirectory: String, port: Int = 0, extraArguments: [String] = []) async throws -> BrokerChild {
        let child = try SkiffChild(
            ["broker", "--listen", "127.0.0.1:\(port)", "--data-dir", dataDirectory] + extraArguments)
        let deadline = ContinuousClock.now + .seconds(60)
        let prefix = "skiff broker listening on 127.0.0.1:"
        while ContinuousClock.now < deadline {
            // skiff broker listening on 127.0.0.1:PORT (data: DIR)
            if let line = child.stdout.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                guard let port = Int(line.dropFirst(prefix.count).prefix { $0.isNumber }) else {
                    throw SkiffTestError("cannot read the port from: \(line)")
                }
                return BrokerChild(child: child, dataDirectory: dataDirectory, port: port)
            }
            if !child.process.isRunning { throw SkiffTestError("skiff broker exited: \(child)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(child.process.processIdentifier, SIGKILL)
        throw SkiffTestError("skiff broker printed no listening line within 60 s: \(child)")
    }

    private init(child: SkiffChild, dataDirectory: String, port: Int) {
        self.child = child
        self.dataDirectory = dataDirectory
        self.port = port
    }

    /// Sends SIGTERM (once) and returns the exit status.
    @discardableResult
    func stop() async throws -> Int32 {
        if child.process.isRunning { kill(child.process.processIdentifier, SIGTERM) }
        return try await child.wait()
    }

    /// Runs `skiff arguments… --broker ADDRESS` to completion and returns its standard output;
    /// throws unless it exits 0.
    @discardableResult
    func run(_ arguments: [String], stdin: String = "") async throws -> String {
        let command = try SkiffChild(arguments + ["--broker", address], stdin: stdin)
        let status = try await command.wait()
        guard status == 0 else { throw SkiffTestError("exit status \(status): \(command)") }
        return command.stdout
    }
}
