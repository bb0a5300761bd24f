import Foundation
import SkiffTestSupport
import Testing

/// Whether this process may make a private mount namespace with a small tmpfs (root with
/// CAP_SYS_ADMIN, as on the CI machines): the only way to fill a real file system without
/// filling the machine's disk.
private let canMountTmpfs: Bool = {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    probe.arguments = ["-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=1m none /mnt"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return false }
    probe.waitUntilExit()
    return probe.terminationStatus == 0
}()

/// A `skiff broker` whose data directory is a 24 MiB tmpfs of its own, mounted in a private mount
/// namespace (so the mount vanishes with the broker and nothing else on the machine sees it).
private final class FullDiskBroker: @unchecked Sendable {
    let process = Process()
    let directory: String
    let log: URL
    private(set) var port = 0

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("skiff-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        log = URL(fileURLWithPath: directory + ".log")
        try Data().write(to: log)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = [
            "-m", "--propagation", "private", "sh", "-c",
            #"mount -t tmpfs -o size=24m skiff-full "$0" && exec "$1" broker --data-dir "$0" --listen 127.0.0.1:0"#,
            directory, try SkiffBinary.require(),
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["SKIFF_DATA_DIR"] = nil
        process.environment = environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    var address: String { "127.0.0.1:\(port)" }

    func waitUntilListening() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("skiff broker listening on ") }),
                let colon = line.split(separator: " ")[4].split(separator: ":").last, let port = Int(colon)
            {
                self.port = port
                return
            }
            if !process.isRunning { throw TestFailure("the broker exited:\n\(output)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no listening line:\n\(output)")
    }

    func stop() async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(at: log)
    }

    func run(_ arguments: [String], stdin: String? = nil) async throws -> CommandResult {
        try await skiff(arguments + ["--broker", address], stdin: stdin, timeout: .seconds(60))
    }

    /// Fills the disk through produce to `topic`: batches of 100 KiB values until one fails for
    /// lack of space, then 4 KiB values, then 1-byte values, until not even a 1-byte record fits
    /// (the file system is 100 % full). Returns the last failure.
    func fill(_ topic: String) async throws -> CommandResult {
        var last: CommandResult?
        for (size, count) in [(100 << 10, 8), (4 << 10, 1), (1, 1)] {
            let lines =
                Array(repeating: String(repeating: "x", count: size), count: count).joined(separator: "\n") + "\n"
            for _ in 0..<10_000 {
                let result = try await run(["produce", topic], stdin: lines)
                if result.status != 0 {
                    last = result
                    break
                }
            }
        }
        guard let last else { throw TestFailure("a 24 MiB disk did not fill up:\n\(output)") }
        return last
    }
}

/// A real full disk (a 24 MiB tmpfs): when produce fails for lack of space, the broker keeps
/// serving reads, and `skiff topic delete` and `skiff topic delete-records` free the space from
/// inside (the delete's line goes into the metadata log's preallocated space; a checkpoint that
/// needs a new block gets it from the disk reserve); produce works again after.
@Suite(.enabled(if: canMountTmpfs, "needs a private mount namespace (root with CAP_SYS_ADMIN)"))
struct FullDiskTests {
    @Test func topicDeleteRelievesAFullDisk() async throws {
        let broker = try FullDiskBroker()
        try await broker.waitUntilListening()
        #expect(try await broker.run(["topic", "create", "keep", "--partitions", "1"]).status == 0)
        #expect(try await broker.run(["produce", "keep"], stdin: "kept-1\nkept-2\n").status == 0)
        #expect(try await broker.run(["topic", "create", "big", "--partitions", "1"]).status == 0)
        let full = try await broker.fill("big")
        #expect(full.stderr.contains("No space left on device"), "\(full)")
        // Reads go on at 100 %.
        let read = try await broker.run(["consume", "keep", "--from", "earliest", "--count", "2"])
        #expect(read.status == 0 && read.lines == ["kept-1", "kept-2"], "\(read)")
        let delete = try await broker.run(["topic", "delete", "big"])
        #expect(delete.status == 0, "\(delete)\n\(broker.output)")
        let again = try await broker.run(["produce", "keep"], stdin: "kept-3\n")
        #expect(again.status == 0, "\(again)")
        let all = try await broker.run(["consume", "keep", "--from", "earliest", "--count", "3"])
        #expect(all.lines == ["kept-1", "kept-2", "kept-3"], "\(all)")
        #expect(try await broker.stop() == 0, "\(broker.output)")
    }

    @Test func deleteRecordsRelievesAFullDisk() async throws {
        let broker = try FullDiskBroker()
        try await broker.waitUntilListening()
        #expect(
            try await broker.run(["topic", "create", "big", "--partitions", "1", "--config", "segment.bytes=1048576"])
                .status == 0)
        let full = try await broker.fill("big")
        #expect(full.stderr.contains("No space left on device"), "\(full)")
        let delete = try await broker.run(["topic", "delete-records", "big", "--offset", "-1"])
        #expect(delete.status == 0, "\(delete)\n\(broker.output)")
        #expect(broker.output.contains("released the 4 MiB reserved for a full disk"), "\(broker.output)")
        let again = try await broker.run(["produce", "big"], stdin: "after\n")
        #expect(again.status == 0, "\(again)\n\(broker.output)")
        let last = try await broker.run(["consume", "big", "--from", "earliest", "--count", "1"])
        #expect(last.lines == ["after"], "\(last)")
        #expect(try await broker.stop() == 0, "\(broker.output)")
    }
}
