import AdminClient
import AdminProtocol
import Foundation
import Synchronization
import Testing

// Crash safety of the real `skiff broker`: it is killed with SIGKILL (no shutdown code runs, the
// page cache survives), restarted on the same data directory, and what it acknowledged before the
// kill is read back. The producer runs in-process over AdminClient so that every acknowledged
// (partition, offset, value) is known exactly.
//
// SKIFF_CRASH_ROUNDS sets the number of kill/restart rounds (8 by default), SKIFF_CRASH_SEED the
// random seed (printed by every test, so a failure can be replayed).

/// SplitMix64: a small deterministic generator for reproducible kill points and damage.
private struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The seed for this run: SKIFF_CRASH_SEED, else a fresh one; printed for replay.
private func crashSeed(_ test: String) -> UInt64 {
    let seed =
        ProcessInfo.processInfo.environment["SKIFF_CRASH_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 0...UInt64.max)
    print("\(test): SKIFF_CRASH_SEED=\(seed)")
    return seed
}

/// An acknowledged record: where the broker said it stored `value`.
private struct Ack: Sendable {
    var partition: Int32
    var offset: Int64
    var value: [UInt8]
}

/// What a producer did until its broker went away.
private struct ProducerOutcome: Sendable {
    var acks: [Ack]
    var attempted: Set<[UInt8]>
    /// The error that ended it, and whether it came before the broker was killed (a real failure).
    var error: String
    var failedBeforeKill: Bool
}

/// Set just before the broker is killed: a producer error before it is a real failure.
private final class KillSwitch: Sendable {
    private let state = Mutex(false)
    var killed: Bool { state.withLock { $0 } }
    func kill() { state.withLock { $0 = true } }
}

/// The brokers a test started: all of them are killed when the test ends, whatever happens.
private final class BrokerSet: @unchecked Sendable {
    private(set) var all: [BrokerProcess] = []
    var current: BrokerProcess? { all.last }

    func start(dataDirectory: String) async throws -> BrokerProcess {
        let broker = try await BrokerProcess.start(dataDirectory: dataDirectory)
        all.append(broker)
        return broker
    }

    /// Sends SIGKILL to the current broker and waits for it to be gone.
    func killCurrent() async throws {
        guard let broker = current else { return }
        broker.child.signal(SIGKILL)
        try await broker.child.wait(timeout: .seconds(10))
    }

    func killAll() {
        for broker in all { broker.child.signal(SIGKILL) }
    }

    /// The standard error of every broker started, for failure messages.
    var logs: String {
        all.enumerated().map { "--- broker \($0.offset) stderr:\n\($0.element.child.stderr)" }.joined(separator: "\n")
    }
}

/// A client for `broker` with a short timeout, so a dead broker ends requests quickly.
private func client(for broker: BrokerProcess) -> AdminClient {
    AdminClient(host: "127.0.0.1", port: broker.port, clientName: "crash-safety-test", timeout: .seconds(5))
}

/// Every record of a partition, checking that the log starts at 0 and its offsets are contiguous
/// (no gap, no duplicate); returns the values in offset order and the high watermark.
private func readAll(
    _ client: AdminClient, topic: String, partition: Int32
) async throws -> (
    values: [[UInt8]], highWatermark: Int64
) {
    var values: [[UInt8]] = []
    var next: Int64 = 0
    let deadline = ContinuousClock.now + .seconds(30)
    while true {
        let response = try await client.fetch(topic: topic, partition: partition, from: .offset(next), maxRecords: 2000)
        guard response.logStartOffset == 0 else {
            throw TestFailure("\(topic)-\(partition): log start offset \(response.logStartOffset), expected 0")
        }
        for record in response.records {
            guard record.offset == next else {
                throw TestFailure(
                    "\(topic)-\(partition): offset \(record.offset) where \(next) was expected (gap or duplicate)")
            }
            values.append(record.value ?? [])
            next += 1
        }
        if next >= response.highWatermark {
            guard next == response.highWatermark else {
                throw TestFailure(
                    "\(topic)-\(partition): read up to \(next), past the high watermark \(response.highWatermark)")
            }
            return (values, response.highWatermark)
        }
        guard !response.records.isEmpty, ContinuousClock.now < deadline else {
            throw TestFailure(
                "\(topic)-\(partition): no records at \(next) below the high watermark \(response.highWatermark)")
        }
    }
}

/// Appends one record to `partition` and checks that it lands at the high watermark `expected`.
private func appendOne(
    _ client: AdminClient, topic: String, partition: Int32, expected: Int64, value: [UInt8]
)
    async throws
{
    let results = try await client.produce(
        topic: topic, records: [ProduceRecord(partition: partition, key: nil, value: value)])
    guard results.count == 1, results[0].partition == partition, results[0].offset == expected else {
        throw TestFailure("\(topic)-\(partition): a new append landed at \(results), expected offset \(expected)")
    }
}

/// `count` random lowercase letters.
private func padding(_ count: Int, using rng: inout SeededGenerator) -> String {
    String((0..<count).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &rng))) })
}

/// Throws unless `values` are `expected`, naming the first difference (not dumping both logs).
private func expectSame(_ values: [[UInt8]], _ expected: [[UInt8]], _ context: String) throws {
    guard values != expected else { return }
    let text = { (value: [UInt8]) in String(decoding: value, as: UTF8.self) }
    let common = min(values.count, expected.count)
    let index = (0..<common).first { values[$0] != expected[$0] } ?? common
    let read = index < values.count ? text(values[index]) : "nothing"
    let wanted = index < expected.count ? text(expected[index]) : "nothing"
    throw TestFailure(
        "\(context): \(values.count) records read, \(expected.count) expected; at offset \(index) read \(read), expected \(wanted)"
    )
}

/// One record batch found in a `.log` file.
private struct DiskBatch {
    var position: Int
    var end: Int
    var baseOffset: Int64
}

/// Walks the batches of a segment file (Kafka's layout: base offset, int64; batch length, int32,
/// counting the bytes after it) and checks that they cover the file exactly.
private func batches(in data: [UInt8], file: String) throws -> [DiskBatch] {
    func integer(_ at: Int, _ size: Int) -> Int64 {
        (at..<at + size).reduce(Int64(0)) { $0 << 8 | Int64(data[$1]) }
    }
    var result: [DiskBatch] = []
    var position = 0
    while position < data.count {
        guard position + 12 <= data.count else { throw TestFailure("\(file): a partial batch header at \(position)") }
        let end = position + 12 + Int(integer(position + 8, 4))
        guard end <= data.count else { throw TestFailure("\(file): the batch at \(position) ends past the file") }
        result.append(DiskBatch(position: position, end: end, baseOffset: integer(position, 8)))
        position = end
    }
    return result
}

@Suite(.serialized)
struct CrashSafetyTests {
    /// Rounds of SIGKILL at random points of a sustained produce lose no acknowledged record, and each recovered log is contiguous and appendable.
    @Test func sigkillDuringSustainedProduceLosesNoAcknowledgedRecord() async throws {
        let rounds = ProcessInfo.processInfo.environment["SKIFF_CRASH_ROUNDS"].flatMap { Int($0) } ?? 8
        let seed = crashSeed("sigkill during produce")
        var rng = SeededGenerator(seed: seed)
        let topic = "crash"
        let partitions: [Int32] = [0, 1]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "skiff-crash-\(UUID().uuidString)"
        ).path
        let brokers = BrokerSet()
        defer {
            brokers.killAll()
            try? FileManager.default.removeItem(atPath: directory)
        }
        do {
            var broker = try await brokers.start(dataDirectory: directory)
            let setup = client(for: broker)
            // Small segments, so the kills land around rolls and recovery crosses segments.
            try await setup.createTopic(topic, partitions: 2, config: ["segment.bytes": "65536"])
            await setup.close()
            // Everything the log must still hold, per partition, in offset order.
            var known: [Int32: [[UInt8]]] = [0: [], 1: []]
            var totalAcks = 0
            for round in 0..<rounds {
                let killSwitch = KillSwitch()
                let producerSeed = rng.next()
                let producerClient = client(for: broker)
                let producer = Task { () -> ProducerOutcome in
                    var rng = SeededGenerator(seed: producerSeed)
                    var outcome = ProducerOutcome(acks: [], attempted: [], error: "", failedBeforeKill: false)
                    var sequence = 0
                    while true {
                        var records: [ProduceRecord] = []
                        for _ in 0..<Int.random(in: 1...8, using: &rng) {
                            let value = Array(
                                "r\(round)-\(sequence)-\(padding(Int.random(in: 0...120, using: &rng), using: &rng))"
                                    .utf8)
                            sequence += 1
                            records.append(
                                ProduceRecord(partition: Int32.random(in: 0...1, using: &rng), key: nil, value: value))
                            outcome.attempted.insert(value)
                        }
                        do {
                            let results = try await producerClient.produce(topic: topic, records: records)
                            guard results.count == records.count else {
                                outcome.error = "\(records.count) records produced, \(results.count) results"
                                outcome.failedBeforeKill = true
                                return outcome
                            }
                            for (result, record) in zip(results, records) {
                                guard result.partition == record.partition else {
                                    outcome.error =
                                        "a record for partition \(record.partition) landed in \(result.partition)"
                                    outcome.failedBeforeKill = true
                                    return outcome
                                }
                                outcome.acks.append(
                                    Ack(partition: result.partition, offset: result.offset, value: record.value ?? []))
                            }
                        } catch {
                            outcome.error = "\(error)"
                            outcome.failedBeforeKill = !killSwitch.killed
                            return outcome
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...400, using: &rng)))
                killSwitch.kill()
                try await brokers.killCurrent()
                let outcome = await producer.value
                await producerClient.close()
                if outcome.failedBeforeKill {
                    throw TestFailure("round \(round): the producer failed before the kill: \(outcome.error)")
                }
                totalAcks += outcome.acks.count

                broker = try await brokers.start(dataDirectory: directory)
                let reader = client(for: broker)
                for partition in partitions {
                    let (values, highWatermark) = try await readAll(reader, topic: topic, partition: partition)
                    let before = known[partition]!
                    // What earlier rounds recovered is still there, unchanged.
                    guard values.count >= before.count, Array(values[..<before.count]) == before else {
                        throw TestFailure(
                            "round \(round): partition \(partition) lost or changed records of earlier rounds (\(before.count) known, \(values.count) read)"
                        )
                    }
                    // Every acknowledged record is at its offset with its value.
                    for ack in outcome.acks where ack.partition == partition {
                        guard ack.offset < values.count else {
                            throw TestFailure(
                                "round \(round): acknowledged offset \(ack.offset) of partition \(partition) is gone (high watermark \(highWatermark))"
                            )
                        }
                        guard values[Int(ack.offset)] == ack.value else {
                            throw TestFailure(
                                "round \(round): partition \(partition) offset \(ack.offset) holds \(String(decoding: values[Int(ack.offset)], as: UTF8.self)), acknowledged \(String(decoding: ack.value, as: UTF8.self))"
                            )
                        }
                    }
                    // Anything beyond is a record of the request in flight at the kill, never garbage,
                    // and stored once.
                    guard Set(values[before.count...]).count == values.count - before.count else {
                        throw TestFailure("round \(round): partition \(partition) holds a record twice")
                    }
                    for offset in before.count..<values.count where !outcome.attempted.contains(values[offset]) {
                        throw TestFailure(
                            "round \(round): partition \(partition) offset \(offset) holds a record never produced")
                    }
                    let marker = Array("after-round-\(round)".utf8)
                    try await appendOne(
                        reader, topic: topic, partition: partition, expected: highWatermark, value: marker)
                    known[partition] = values + [marker]
                }
                await reader.close()
            }
            let segments = try partitions.map { partition in
                try FileManager.default.contentsOfDirectory(atPath: directory + "/\(topic)-\(partition)")
                    .filter { $0.hasSuffix(".log") }.count
            }
            print(
                "sigkill during produce: \(segments) segments, \(rounds) rounds, \(totalAcks) acknowledged records, \(known.values.map(\.count).reduce(0, +)) recovered"
            )
            try await brokers.current?.stop()
        } catch {
            brokers.killAll()
            throw TestFailure("\(error)\nseed \(seed)\n\(brokers.logs)")
        }
    }

    /// How the tail of the active segment is damaged after a kill.
    enum Damage: String, CaseIterable, Sendable {
        /// Cut at a random byte inside the last batch, as a torn write leaves it.
        case truncatedInsideLastBatch
        /// Random bytes after the last batch.
        case garbageAppended
        /// A copy of the last batch claiming the next offset, one byte of it flipped: complete, but
        /// its CRC fails.
        case corruptBatchAppended
    }

    /// A torn, garbage or corrupt tail of the active segment after SIGKILL is cut on restart: every complete batch stays, offsets stay contiguous, appends continue.
    @Test(arguments: Damage.allCases)
    func damagedTailIsCutOnRestart(_ damage: Damage) async throws {
        let seed = crashSeed("torn last write (\(damage))")
        var rng = SeededGenerator(seed: seed)
        let topic = "torn"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-torn-\(UUID().uuidString)")
            .path
        let brokers = BrokerSet()
        defer {
            brokers.killAll()
            try? FileManager.default.removeItem(atPath: directory)
        }
        do {
            var broker = try await brokers.start(dataDirectory: directory)
            var writer = client(for: broker)
            // Small segments: the damaged one is not the first, and the recovery point is inside the log.
            try await writer.createTopic(topic, partitions: 2, config: ["segment.bytes": "4096"])
            // A clean round: batches of several records to both partitions, all read back.
            var expected: [Int32: [[UInt8]]] = [0: [], 1: []]
            for request in 0..<40 {
                let partition = Int32(request % 2)
                let records = (0..<Int.random(in: 1...6, using: &rng)).map { index in
                    ProduceRecord(
                        partition: partition, key: nil,
                        value: Array(
                            "b\(request)-\(index)-\(padding(Int.random(in: 0...200, using: &rng), using: &rng))".utf8))
                }
                let results = try await writer.produce(topic: topic, records: records)
                for (result, record) in zip(results, records) {
                    guard result.offset == Int64(expected[partition]!.count) else {
                        throw TestFailure(
                            "partition \(partition): produced at \(result.offset), expected \(expected[partition]!.count)"
                        )
                    }
                    expected[partition]!.append(record.value ?? [])
                }
            }
            for partition: Int32 in [0, 1] {
                let (values, _) = try await readAll(writer, topic: topic, partition: partition)
                try expectSame(values, expected[partition]!, "partition \(partition) before the kill")
            }
            await writer.close()
            try await brokers.killCurrent()

            // Damage the active segment of one partition.
            let damaged = Int32.random(in: 0...1, using: &rng)
            let partitionDirectory = directory + "/\(topic)-\(damaged)"
            let logs = try FileManager.default.contentsOfDirectory(atPath: partitionDirectory).filter {
                $0.hasSuffix(".log")
            }.sorted()
            guard let active = logs.last else { throw TestFailure("no .log file in \(topic)-\(damaged)") }
            let path = partitionDirectory + "/" + active
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let onDisk = try batches(in: bytes, file: active)
            guard let last = onDisk.last else { throw TestFailure("\(active) holds no batch") }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            switch damage {
            case .truncatedInsideLastBatch:
                let cut = Int.random(in: (last.position + 1)..<last.end, using: &rng)
                try handle.truncate(atOffset: UInt64(cut))
                // The torn batch goes; everything before it stays.
                expected[damaged] = Array(expected[damaged]![..<Int(last.baseOffset)])
                print(
                    "torn last write: cut \(active) of \(topic)-\(damaged) at byte \(cut) of \(bytes.count) (last batch \(last.position)..<\(last.end))"
                )
            case .garbageAppended:
                let garbage = (0..<Int.random(in: 1...100, using: &rng)).map { _ in
                    UInt8.random(in: 0...255, using: &rng)
                }
                try handle.seekToEnd()
                try handle.write(contentsOf: garbage)
                print("torn last write: appended \(garbage.count) random bytes to \(active) of \(topic)-\(damaged)")
            case .corruptBatchAppended:
                var copy = Array(bytes[last.position..<last.end])
                let next = UInt64(expected[damaged]!.count)
                for index in 0..<8 { copy[index] = UInt8(truncatingIfNeeded: next >> (56 - 8 * index)) }
                // The CRC covers everything from the attributes (byte 21) on.
                let flipped = Int.random(in: 21..<copy.count, using: &rng)
                copy[flipped] ^= UInt8.random(in: 1...255, using: &rng)
                try handle.seekToEnd()
                try handle.write(contentsOf: copy)
                print(
                    "torn last write: appended a \(copy.count)-byte batch with byte \(flipped) flipped to \(active) of \(topic)-\(damaged)"
                )
            }
            try handle.close()

            // Restart: the damaged tail is cut, nothing else changes, appends continue.
            broker = try await brokers.start(dataDirectory: directory)
            writer = client(for: broker)
            for partition: Int32 in [0, 1] {
                let (values, highWatermark) = try await readAll(writer, topic: topic, partition: partition)
                try expectSame(values, expected[partition]!, "partition \(partition) after the restart")
                let value = Array("after-restart-\(partition)".utf8)
                try await appendOne(writer, topic: topic, partition: partition, expected: highWatermark, value: value)
                expected[partition]!.append(value)
            }
            await writer.close()
            // The appends after the cut survive a clean restart too.
            let status = try await broker.stop()
            guard status == 0 else { throw TestFailure("skiff broker exited \(status) on SIGTERM") }
            broker = try await brokers.start(dataDirectory: directory)
            let reader = client(for: broker)
            for partition: Int32 in [0, 1] {
                let (values, _) = try await readAll(reader, topic: topic, partition: partition)
                try expectSame(values, expected[partition]!, "partition \(partition) after a clean restart")
            }
            await reader.close()
            try await broker.stop()
        } catch {
            brokers.killAll()
            throw TestFailure("\(error)\nseed \(seed)\n\(brokers.logs)")
        }
    }
}
