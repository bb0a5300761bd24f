import AdminClient
import AdminProtocol
import Foundation
import Testing

// Issue 9 end to end, as a user meets it: a `skiff broker` child is stopped (SIGTERM: clean;
// SIGKILL: a crash), its data directory is damaged, and the real commands — `skiff broker`,
// `skiff broker --rebuild-metadata`, `skiff consume`, `skiff storage verify` — show what is left.
// The records are produced over AdminClient (one request per batch, so that there are many
// batches and segments) and their values are the oracle.

/// One record batch of a `.log` file (Kafka's layout: base offset Int64, batch length Int32
/// counting the bytes after it, …, last offset delta Int32 at byte 23).
private struct DiskBatch {
    var position: Int
    var end: Int
    var baseOffset: Int64
    var lastOffset: Int64
}

private func batches(in data: [UInt8]) -> [DiskBatch] {
    func integer(_ at: Int, _ size: Int) -> Int64 { (at..<at + size).reduce(Int64(0)) { $0 << 8 | Int64(data[$1]) } }
    var result: [DiskBatch] = []
    var position = 0
    while position + 61 <= data.count {
        let end = position + 12 + Int(integer(position + 8, 4))
        let base = integer(position, 8)
        result.append(
            DiskBatch(
                position: position, end: end, baseOffset: base,
                lastOffset: base + Int64(Int32(truncatingIfNeeded: integer(position + 23, 4)))))
        position = end
    }
    return result
}

private func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

/// The `.log` files of a partition directory, oldest first.
private func segmentNames(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") && $0.count == 24 }
        .sorted()
}

/// What `skiff storage verify --json` prints (the parts the tests read).
private struct VerifyJSON: Decodable {
    struct Partition: Decodable {
        var directory: String
        var intact: Bool
        var segments: Int
        var batches: Int
        var records: Int64
        var firstOffset: Int64?
        var endOffset: Int64?
        var damage: [Damage]
        var problems: [String]
        var cutFiles: [String]
    }
    struct Damage: Decodable {
        var segment: String
        var position: Int
        var length: Int
        var firstOffset: Int64
        var lastOffset: Int64
        var reason: String
    }
    var dataDirectory: String
    var intact: Bool
    var partitions: [Partition]
    var problems: [String]
    var strays: [String]
}

/// A data directory under the temporary directory, removed when the test ends.
private final class DataDirectory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-damage-\(UUID().uuidString)").path
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite(.serialized)
struct StorageDamageCLITests {
    static let topic = "ticks"

    /// The value of record `offset` of `ticks-<partition>`.
    static func value(_ partition: Int32, _ offset: Int) -> String {
        "tick-\(partition)-\(offset)-"
            + String((0..<24).map { Character(Unicode.Scalar(UInt8(97 + (offset + $0) % 26))) })
    }

    /// Starts a broker on `directory`, creates `ticks` (2 partitions, segments of at most 1,000
    /// bytes, no index entries) and produces `requests` requests of three records to each
    /// partition; returns the running broker and the values per partition in offset order.
    static func seed(_ directory: String, requests: Int = 24) async throws -> (BrokerProcess, [Int32: [String]]) {
        let broker = try await BrokerProcess.start(dataDirectory: directory)
        let client = AdminClient(host: "127.0.0.1", port: broker.port, clientName: "damage-test", timeout: .seconds(10))
        do {
            try await client.createTopic(
                topic, partitions: 2, config: ["segment.bytes": "1000", "index.interval.bytes": "1000000"])
            var values: [Int32: [String]] = [0: [], 1: []]
            for _ in 0..<requests {
                for partition: Int32 in [0, 1] {
                    let start = values[partition]!.count
                    let batch = (start..<start + 3).map { value(partition, $0) }
                    let results = try await client.produce(
                        topic: topic,
                        records: batch.map { ProduceRecord(partition: partition, key: nil, value: Array($0.utf8)) })
                    guard results.map(\.offset) == (start..<start + 3).map(Int64.init) else {
                        throw TestFailure("produced at \(results.map(\.offset)), expected offsets from \(start)")
                    }
                    values[partition]! += batch
                }
            }
            await client.close()
            return (broker, values)
        } catch {
            await client.close()
            _ = try? await broker.stop(signal: SIGKILL)
            throw error
        }
    }

    /// Stops `broker` with `signal`; SIGTERM must exit 0.
    static func stop(_ broker: BrokerProcess, _ signal: Int32) async throws {
        let status = try await broker.stop(signal: signal)
        if signal == SIGTERM {
            #expect(status == 0, "skiff broker exited \(status) on SIGTERM\n\(broker.child.stderr)")
        }
    }

    /// The standard error lines of `broker` that report what the storage found at start.
    static func warnings(_ broker: BrokerProcess) -> [String] {
        broker.child.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("skiff: warning: ") }
    }

    /// `skiff storage verify DIR` and its `--json` twin; checks they agree on the exit status.
    private static func verify(_ directory: String) async throws -> (text: CommandResult, json: VerifyJSON) {
        let text = try await skiff(["storage", "verify", directory])
        let json = try await skiff(["storage", "verify", directory, "--json"])
        #expect(json.status == text.status, "\(json)")
        return (text, try json.json(VerifyJSON.self))
    }

    // MARK: - topics.log

    /// Without topics.log the broker refuses the directory (exit ≠ 0, naming --rebuild-metadata)
    /// and verify says why; `skiff broker --rebuild-metadata` rebuilds it, says so, and serves
    /// every record; afterwards the directory verifies intact.
    @Test func missingTopicsLogIsRefusedThenRebuilt() async throws {
        let directory = DataDirectory()
        let (first, values) = try await Self.seed(directory.path, requests: 6)
        try await Self.stop(first, SIGTERM)
        try FileManager.default.removeItem(atPath: directory.path + "/topics.log")

        let refused = try await skiff(["broker", "--data-dir", directory.path, "--listen", "127.0.0.1:0"])
        #expect(refused.status != 0, "\(refused)")
        #expect(!refused.stdout.contains("listening"), "\(refused)")
        #expect(refused.stderr.hasPrefix("skiff: error: "), "\(refused)")
        for part in [
            "ticks-0", "ticks-1", "topics.log", "skiff broker --data-dir \(directory.path) --rebuild-metadata",
        ] {
            #expect(refused.stderr.contains(part), "\(refused)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/topics.log"))
        let (text, json) = try await Self.verify(directory.path)
        #expect(text.status == 1, "\(text)")
        #expect(text.stdout.contains("problem: topics.log is missing"), "\(text)")
        #expect(!json.intact && json.problems.count == 1)

        let broker = try await BrokerProcess.start(
            dataDirectory: directory.path, extraArguments: ["--rebuild-metadata"])
        do {
            let stderr = broker.child.stderr
            #expect(stderr.contains("skiff: rebuilt topic ticks: 2 partitions"), "\(stderr)")
            #expect(stderr.contains("skiff: rebuilt topic __consumer_offsets: 1 partition"), "\(stderr)")
            #expect(Self.warnings(broker).contains { $0.contains("rebuilt topics.log") }, "\(stderr)")
            for partition: Int32 in [0, 1] {
                let consumed = try await broker.ok([
                    "consume", Self.topic, "--partition", "\(partition)", "--from", "earliest",
                ])
                #expect(consumed.lines == values[partition]!)
            }
            let all = try await broker.ok(["consume", Self.topic, "--from", "earliest"])
            #expect(all.lines.sorted() == (values[0]! + values[1]!).sorted())
        } catch {
            _ = try? await broker.stop(signal: SIGKILL)
            throw TestFailure("\(error)\n--- broker stderr:\n\(broker.child.stderr)")
        }
        try await Self.stop(broker, SIGTERM)
        let healthy = try await Self.verify(directory.path)
        #expect(healthy.text.status == 0, "\(healthy.text)")
        #expect(healthy.json.intact)
    }

    // MARK: - Strays

    /// A partition directory no topic claims is moved aside at start and reported on standard
    /// error as a `skiff: warning:`; it stays on disk, and the next start reports it again.
    @Test(arguments: [SIGTERM, SIGKILL])
    func strayDirectoryIsReportedAtStart(_ signal: Int32) async throws {
        let directory = DataDirectory()
        let (first, values) = try await Self.seed(directory.path, requests: 4)
        try await Self.stop(first, signal)
        try FileManager.default.copyItem(atPath: directory.path + "/ticks-1", toPath: directory.path + "/other-0")
        try FileManager.default.copyItem(atPath: directory.path + "/ticks-0", toPath: directory.path + "/ticks-5")
        for round in 0..<2 {
            let broker = try await BrokerProcess.start(dataDirectory: directory.path)
            let warnings = Self.warnings(broker)
            let strays = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
                $0.hasSuffix("-stray")
            }.sorted()
            #expect(
                strays.count == 2 && strays[0].hasPrefix("other-0.") && strays[1].hasPrefix("ticks-5."), "\(strays)")
            for stray in strays {
                let expected =
                    round == 0
                    ? "moved partition directory \(stray.prefix { $0 != "." }) aside to \(stray)"
                    : "\(stray) is a partition directory an earlier start moved aside"
                #expect(warnings.contains { $0.contains(expected) }, "\(warnings)")
            }
            #expect(
                try bytes(directory.path + "/" + strays[0] + "/" + segmentNames(directory.path + "/" + strays[0])[0])
                    == bytes(directory.path + "/ticks-1/" + segmentNames(directory.path + "/ticks-1")[0]))
            let consumed = try await broker.ok(["consume", Self.topic, "--partition", "1"])
            #expect(consumed.lines == values[1]!)
            try await Self.stop(broker, SIGTERM)
        }
        let (text, json) = try await Self.verify(directory.path)
        #expect(text.status == 0, "\(text)")
        #expect(json.strays.count == 2)
        #expect(text.lines.filter { $0.hasPrefix("stray: ") }.count == 2, "\(text)")
    }

    // MARK: - A flipped value byte

    /// One byte flipped in a record value of an older segment: `skiff consume` prints every record
    /// before the damaged batch, then fails naming its offsets; consuming from the first offset
    /// after it prints the rest; `skiff storage verify` exits 1 with a `damaged:` line naming the
    /// segment and the offsets, in text and JSON. The other partition is untouched.
    @Test(arguments: [SIGTERM, SIGKILL])
    func flippedValueByteStopsConsumeAtTheDamage(_ signal: Int32) async throws {
        let directory = DataDirectory()
        let (first, values) = try await Self.seed(directory.path)
        try await Self.stop(first, signal)
        let partitionDirectory = directory.path + "/ticks-0"
        let segments = try segmentNames(partitionDirectory)
        #expect(segments.count > 4, "\(segments)")
        let segment = segments[2]
        let path = partitionDirectory + "/" + segment
        var data = try bytes(path)
        let damaged = try #require(batches(in: data).dropFirst().first)
        let value = Array(values[0]![Int(damaged.baseOffset)].utf8)
        let at = try #require(
            (damaged.position..<damaged.end).first { Array(data[$0..<min($0 + value.count, data.count)]) == value })
        data[at + value.count / 2] ^= 0x20
        try Data(data).write(to: URL(fileURLWithPath: path))
        let offsets = "\(damaged.baseOffset)–\(damaged.lastOffset)"

        let (text, json) = try await Self.verify(directory.path)
        #expect(text.status == 1, "\(text)")
        let line = try #require(text.lines.first { $0.hasPrefix("damaged: ") }, "\(text)")
        #expect(
            line.hasPrefix(
                "damaged: ticks-0/\(segment) bytes \(damaged.position)–\(damaged.end - 1) (offsets \(offsets)): "),
            "\(line)")
        #expect(text.lines.last == "3 partitions checked: 2 intact, 1 damaged", "\(text)")
        #expect(!json.intact)
        let partition = try #require(json.partitions.first { $0.directory == "ticks-0" })
        #expect(!partition.intact && partition.damage.count == 1)
        #expect(partition.damage.first?.segment == segment)
        #expect(partition.damage.first?.position == damaged.position)
        #expect(partition.damage.first?.length == damaged.end - damaged.position)
        #expect(partition.damage.first?.firstOffset == damaged.baseOffset)
        #expect(partition.damage.first?.lastOffset == damaged.lastOffset)
        #expect(partition.records == Int64(values[0]!.count - 3))
        #expect(partition.endOffset == Int64(values[0]!.count))
        #expect(json.partitions.filter { !$0.intact }.map(\.directory) == ["ticks-0"])

        let broker = try await BrokerProcess.start(dataDirectory: directory.path)
        do {
            let failed = try await broker.run(["consume", Self.topic, "--partition", "0", "--from", "earliest"])
            #expect(failed.status != 0, "\(failed)")
            #expect(failed.lines == Array(values[0]![..<Int(damaged.baseOffset)]), "\(failed)")
            #expect(failed.stderr.hasPrefix("skiff: error: "), "\(failed)")
            #expect(failed.stderr.contains("offsets \(offsets) cannot be read"), "\(failed)")
            #expect(failed.stderr.contains("offsets from \(damaged.lastOffset + 1) on can be read"), "\(failed)")
            let inside = try await broker.run([
                "consume", Self.topic, "--partition", "0", "--from", "\(damaged.lastOffset)",
            ])
            #expect(inside.status != 0 && inside.lines.isEmpty, "\(inside)")
            let rest = try await broker.ok([
                "consume", Self.topic, "--partition", "0", "--from", "\(damaged.lastOffset + 1)",
            ])
            #expect(rest.lines == Array(values[0]![Int(damaged.lastOffset + 1)...]))
            let other = try await broker.ok(["consume", Self.topic, "--partition", "1"])
            #expect(other.lines == values[1]!)
            // The broker reported the damage too (at start after a crash, or on the first read).
            #expect(
                try await eventually { broker.child.stderr.contains("offsets \(offsets) cannot be read") },
                "\(broker.child.stderr)")
        } catch {
            _ = try? await broker.stop(signal: SIGKILL)
            throw TestFailure("\(error)\n--- broker stderr:\n\(broker.child.stderr)")
        }
        try await Self.stop(broker, SIGTERM)
        // Nothing was cut or moved: the damaged bytes are still where they were.
        #expect(try bytes(path) == data)
    }

    // MARK: - Damage found at start

    /// After SIGKILL, recovery checks the active segment: a damaged batch in its middle and a torn
    /// last write are reported at start as `skiff: warning:` lines (the damage with its offsets,
    /// the cut with the file that keeps the bytes); the intact records around the damage are
    /// served, and verify afterwards lists the kept bytes and the damaged batch, which stays where
    /// it is.
    @Test func crashDamageIsReportedAtStart() async throws {
        let directory = DataDirectory()
        let (first, values) = try await Self.seed(directory.path, requests: 20)
        try await Self.stop(first, SIGKILL)
        let partitionDirectory = directory.path + "/ticks-0"
        let active = try #require(try segmentNames(partitionDirectory).last)
        let path = partitionDirectory + "/" + active
        var data = try bytes(path)
        let onDisk = batches(in: data)
        #expect(onDisk.count >= 3, "\(onDisk.count) batches in the active segment")
        let damaged = onDisk[0]
        let last = onDisk[onDisk.count - 1]
        data[damaged.end - 5] ^= 0x20
        data = Array(data[..<(last.position + 20)])
        try Data(data).write(to: URL(fileURLWithPath: path))
        let offsets = "\(damaged.baseOffset)–\(damaged.lastOffset)"

        let broker = try await BrokerProcess.start(dataDirectory: directory.path)
        do {
            let warnings = Self.warnings(broker)
            #expect(
                warnings.contains {
                    $0.contains(
                        "corrupt data in partition ticks-0: offsets \(offsets) cannot be read (segment \(active)")
                }, "\(warnings)")
            let cut = "\(active).cut-at-\(last.position)"
            #expect(
                warnings.contains {
                    $0.contains("cut a torn tail of 20 bytes from ticks-0/\(active)") && $0.contains(cut)
                },
                "\(warnings)")
            let rest = try await broker.ok([
                "consume", Self.topic, "--partition", "0", "--from", "\(damaged.lastOffset + 1)",
            ])
            #expect(rest.lines == Array(values[0]![Int(damaged.lastOffset + 1)..<Int(last.baseOffset)]))
            let before = try await broker.ok([
                "consume", Self.topic, "--partition", "0", "--count", "\(damaged.baseOffset)",
            ])
            #expect(before.lines == Array(values[0]![..<Int(damaged.baseOffset)]))
        } catch {
            _ = try? await broker.stop(signal: SIGKILL)
            throw TestFailure("\(error)\n--- broker stderr:\n\(broker.child.stderr)")
        }
        try await Self.stop(broker, SIGTERM)
        let (text, json) = try await Self.verify(directory.path)
        #expect(text.status == 1, "\(text)")
        #expect(
            text.lines.contains("kept: ticks-0/\(active).cut-at-\(last.position) (bytes recovery cut from a log)"),
            "\(text)")
        #expect(
            text.lines.contains {
                $0.hasPrefix(
                    "damaged: ticks-0/\(active) bytes \(damaged.position)–\(damaged.end - 1) (offsets \(offsets))")
            }, "\(text)")
        let partition = try #require(json.partitions.first { $0.directory == "ticks-0" })
        #expect(partition.cutFiles == ["\(active).cut-at-\(last.position)"])
        #expect(partition.endOffset == last.baseOffset)
    }

    // MARK: - A healthy directory

    /// A directory that was only ever stopped cleanly verifies intact: exit 0, "intact" on every
    /// line of the table and in the summary, and JSON that decodes with the right figures.
    @Test func healthyDirectoryVerifiesIntact() async throws {
        let directory = DataDirectory()
        let (broker, values) = try await Self.seed(directory.path, requests: 8)
        try await Self.stop(broker, SIGTERM)
        let (text, json) = try await Self.verify(directory.path)
        #expect(text.status == 0, "\(text)")
        #expect(text.lines.first?.hasPrefix("PARTITION") == true, "\(text)")
        #expect(text.lines.last == "3 partitions checked: 3 intact, 0 damaged", "\(text)")
        #expect(!text.stdout.contains("damaged:") && !text.stdout.contains("problem:"), "\(text)")
        #expect(json.intact && json.problems.isEmpty && json.strays.isEmpty)
        #expect(json.dataDirectory == directory.path)
        #expect(json.partitions.map(\.directory) == ["__consumer_offsets-0", "ticks-0", "ticks-1"])
        for partition in json.partitions where partition.directory.hasPrefix("ticks-") {
            #expect(partition.intact && partition.damage.isEmpty && partition.problems.isEmpty)
            #expect(partition.records == Int64(values[0]!.count) && partition.batches == 8)
            #expect(partition.firstOffset == 0 && partition.endOffset == Int64(values[0]!.count))
            #expect(partition.segments == (try segmentNames(directory.path + "/" + partition.directory)).count)
        }
        // On a running broker it says so, and still reports what it found.
        let running = try await BrokerProcess.start(dataDirectory: directory.path)
        let live = try await skiff(["storage", "verify", directory.path])
        try await Self.stop(running, SIGTERM)
        #expect(live.status == 0, "\(live)")
        #expect(live.stderr.contains("skiff: note: a broker is running on \(directory.path)"), "\(live)")
        let missing = try await skiff(["storage", "verify", directory.path + "/nope"])
        #expect(missing.status != 0 && missing.stderr.contains("is not a directory"), "\(missing)")
    }
}
