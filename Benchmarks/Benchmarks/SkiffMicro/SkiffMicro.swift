// Micro-benchmarks of Skiff's hot paths, through the real code of BrokerCore, AdminProtocol and
// TerminalUI. Run them with scripts/microbench; docs/microbenchmarks.md says what each measures.
//
// Every benchmark measures wall clock and throughput. One iteration is the unit of work its name
// gives (one batch, one MiB, one frame, 1,000 lookups), so throughput is in those units per second.

import AdminProtocol
import Benchmark
import BrokerCore
import Foundation
import Logging
import NIOCore
import SkiffText
import TerminalUI

let benchmarks: @Sendable () -> Void = {
    recordBatchBenchmarks()
    crcBenchmarks()
    logBenchmarks()
    frameBenchmarks()
    screenBenchmarks()
}

// MARK: - Shared settings and data

/// Wall clock and throughput only; each benchmark stops after `seconds` or `iterations`, whichever
/// comes first, so the whole suite stays within a few minutes on a small machine.
func settings(seconds: Int = 2, iterations: Int = 10_000) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput], warmupIterations: 3, maxDuration: .seconds(seconds),
        maxIterations: iterations)
}

/// Records per batch in the batch, log and frame benchmarks.
let recordsPerBatch = 1_000
/// Bytes per record value.
let valueSize = 100
/// A fixed create time, so that encoded batches are the same from run to run.
let baseTimestamp: Int64 = 1_714_564_800_000

/// `count` producer records with a 10-byte key and a `valueSize`-byte value, as a client sends them.
func producerRecords(_ count: Int = recordsPerBatch) -> [ProducerRecord] {
    (0..<count).map { i in
        ProducerRecord(
            key: Array("key-\(100_000 + i)".utf8), value: value(i), timestamp: baseTimestamp + Int64(i))
    }
}

/// A `valueSize`-byte value that differs from record to record.
func value(_ i: Int) -> [UInt8] {
    (0..<valueSize).map { UInt8(truncatingIfNeeded: $0 &+ i) }
}

/// A deterministic generator, so every run looks up the same offsets.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Record batches and CRC-32C

func recordBatchBenchmarks() {
    let records = producerRecords()
    let batch = try! RecordBatchEncoder.encode(records, baseOffset: 0, defaultTimestamp: baseTimestamp)

    Benchmark("RecordBatch encode (1,000 records × 100 B)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try RecordBatchEncoder.encode(records, baseOffset: 0, defaultTimestamp: baseTimestamp))
        }
    }

    // Decoding checks the batch's length and CRC first, as every read of a stored batch does.
    Benchmark("RecordBatch decode (1,000 records × 100 B)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try RecordBatchDecoder.decode(batch))
        }
    }
}

func crcBenchmarks() {
    var generator = SplitMix64(state: 1)
    let mebibyte = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }

    Benchmark("CRC-32C (1 MiB)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(CRC32C.checksum(mebibyte))
        }
    }
}

// MARK: - Offset index and partition log

/// A partition log in a temporary directory of its own, removed by ``remove()``.
final class TemporaryLog {
    let directory: String
    let log: PartitionLog

    init(config: LogConfig = LogConfig()) throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("skiff-microbench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        log = try PartitionLog.open(
            dataDirectory: directory, topicPartition: TopicPartition(topic: "bench", partition: 0), config: config,
            cleanShutdown: false, logger: Logger(label: "skiff.microbench"))
    }

    func remove() throws {
        try log.close()
        try FileManager.default.removeItem(atPath: directory)
    }
}

/// Holds a benchmark's temporary log between its setup and teardown hooks.
final class LogHolder {
    var current: TemporaryLog?
    /// How many times the benchmark ran, to pick the next input.
    var runs = 0

    var log: PartitionLog { current!.log }

    func remove() throws {
        try current?.remove()
        current = nil
    }
}

func logBenchmarks() {
    // An index at its size limit: segment.index.bytes (10 MiB) of 8-byte entries. One entry per
    // 32-record batch of 3,200 bytes keeps every position within the format's 32-bit field.
    let indexEntries = LogConfig().segmentIndexBytes / 8
    var index = OffsetIndex(baseOffset: 1_000_000)
    for i in 0..<indexEntries {
        index.append(offset: 1_000_000 + Int64(i) * 32 + 31, position: i * 3_200)
    }
    precondition(index.count == indexEntries)
    let fullIndex = index
    var generator = SplitMix64(state: 2)
    let lookups = (0..<1_000).map { _ in 1_000_000 + Int64.random(in: 0..<Int64(indexEntries * 32), using: &generator) }

    // One iteration is 1,000 lookups of random offsets (one alone is too short to time well).
    Benchmark("OffsetIndex 1,000 lookups (1,310,720 entries)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            for offset in lookups {
                blackHole(fullIndex.lookup(offset))
            }
        }
    }

    // A consumer's fetch: 100 records from a random offset of a 200,000-record partition, found
    // through the segment's index and read from the file.
    let readLog = LogHolder()
    let storedRecords = 200 * recordsPerBatch
    let readOffsets = (0..<1_000).map { _ in Int64.random(in: 0..<Int64(storedRecords), using: &generator) }
    Benchmark(
        "PartitionLog read (100 records at a random offset)", configuration: settings()
    ) { benchmark in
        let log = readLog.log
        for _ in benchmark.scaledIterations {
            readLog.runs += 1
            let offset = readOffsets[readLog.runs % readOffsets.count]
            blackHole(try log.read(from: offset, maxRecords: 100, maxBytes: 1 << 20))
        }
    } setup: {
        let temporary = try TemporaryLog()
        readLog.current = temporary
        let records = producerRecords()
        for _ in 0..<(storedRecords / recordsPerBatch) {
            try temporary.log.append(records)
        }
        try temporary.log.flush()
    } teardown: {
        try readLog.remove()
    }

    // The produce path: one 1,000-record batch encoded, validated and written (not fsynced, as
    // with the default flush settings), its index entries added. At most 1,000 batches (about
    // 120 MB) are written; the directory is removed afterwards.
    let appendLog = LogHolder()
    let records = producerRecords()
    Benchmark(
        "PartitionLog append (1,000 records × 100 B)",
        configuration: settings(iterations: 1_000)
    ) { benchmark in
        let log = appendLog.log
        for _ in benchmark.scaledIterations {
            blackHole(try log.append(records))
        }
    } setup: {
        appendLog.current = try TemporaryLog()
    } teardown: {
        try appendLog.remove()
    }
}

// MARK: - Admin frame codec

func frameBenchmarks() {
    let produce = AdminRequest.produce(
        ProduceRequest(
            topic: "prices",
            records: (0..<recordsPerBatch).map { i in
                ProduceRecord(
                    partition: -1, key: Array("key-\(100_000 + i)".utf8), value: value(i),
                    timestampMs: baseTimestamp + Int64(i))
            }))
    let fetch = AdminResponse.fetch(
        FetchResponse(
            logStartOffset: 0, highWatermark: Int64(recordsPerBatch),
            records: (0..<recordsPerBatch).map { i in
                FetchedRecord(
                    offset: Int64(i), timestampMs: baseTimestamp + Int64(i), key: Array("key-\(100_000 + i)".utf8),
                    value: value(i), headers: [])
            }))
    let produceFrame = AdminFrame.encodeRequest(produce, version: 1, correlationId: 7)
    let fetchFrame = AdminFrame.encodeResponse(correlationId: 7, error: nil, body: fetch)

    Benchmark("Frame encode: Produce request (1,000 records)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AdminFrame.encodeRequest(produce, version: 1, correlationId: 7))
        }
    }

    // What the broker does with a received frame: cut the payload off the stream, then read the
    // header and the request.
    Benchmark("Frame decode: Produce request (1,000 records)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            var stream = produceFrame
            guard var payload = try AdminFrameDecoder.decodeFrame(from: &stream) else {
                benchmark.error("incomplete frame")
                return
            }
            blackHole(try AdminFrame.decodeRequest(payload: &payload))
        }
    }

    Benchmark("Frame encode: Fetch response (1,000 records)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(AdminFrame.encodeResponse(correlationId: 7, error: nil, body: fetch))
        }
    }

    Benchmark("Frame decode: Fetch response (1,000 records)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            var stream = fetchFrame
            guard var payload = try AdminFrameDecoder.decodeFrame(from: &stream) else {
                benchmark.error("incomplete frame")
                return
            }
            blackHole(try AdminFrame.decodeResponse(payload: &payload, expecting: .fetch))
        }
    }
}

// MARK: - Terminal UI

/// 10,000 topics as ListTopics returns them (names in no particular order).
func manyTopics(_ count: Int) -> [TopicListing] {
    (0..<count).map { (i: Int) -> TopicListing in
        let number: Int = i * 7_919 % count
        let groups: [String] = i % 3 == 0 ? ["billing", "audit"] : []
        return TopicListing(
            name: "topic-\(number)-events", partitionCount: Int32(1 + i % 12), messageCount: Int64(i) * 1_000,
            sizeBytes: Int64(i) * 100_000, lastWriteTimeMs: baseTimestamp - Int64(i), isInternal: false,
            consumerGroups: groups)
    }
}

/// The topics screen at 200×50 with 10,000 topics loaded, as the app holds it.
func topicsScreen(_ count: Int) -> AppState {
    var state = AppState(
        context: AppContext(brokerAddress: "127.0.0.1:9292"), size: TerminalSize(width: 200, height: 50),
        nowMs: baseTimestamp)
    _ = update(&state, .start)
    _ = update(&state, .topicsLoaded(.success(manyTopics(count))))
    return state
}

/// The cells of `new` that differ from `old`, with the neighbours of a changed wide grapheme, row
/// by row: the comparison `CursesTerminal.draw` makes before writing cells. (That function also
/// calls curses, so it cannot run without a terminal; this is its comparison, on the same
/// ``ScreenBuffer`` and ``Cell`` equality.)
func changedCells(_ new: ScreenBuffer, from old: ScreenBuffer) -> Int {
    var changed = 0
    var dirty = [Bool](repeating: false, count: new.width)
    for y in 0..<new.height {
        for x in 0..<new.width { dirty[x] = false }
        var any = false
        for x in 0..<new.width where new[x, y] != old[x, y] {
            dirty[x] = true
            any = true
        }
        guard any else { continue }
        for x in 0..<new.width where new[x, y] != old[x, y] {
            if isWide(new[x, y]) || isWide(old[x, y]) {
                if x > 0 { dirty[x - 1] = true }
                if x + 1 < new.width { dirty[x + 1] = true }
            }
        }
        for x in 0..<new.width where dirty[x] { changed += 1 }
    }
    return changed
}

/// Whether `cell` is half of a wide grapheme.
func isWide(_ cell: Cell) -> Bool {
    cell.isContinuation || DisplayWidth.of(cell.text) == 2
}

func screenBenchmarks() {
    let state = topicsScreen(10_000)

    // One frame as the app's loop draws it: a fresh buffer, then `render`. The product target is
    // at most 5 ms per frame.
    Benchmark("Render topics screen (10,000 topics, 200×50)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            var buffer = ScreenBuffer(size: state.size)
            render(state, into: &buffer)
            blackHole(buffer)
        }
    }

    // What every auto-refresh of the topics screen does with the new list: store it and rebuild
    // the sorted, filtered index.
    let listing = manyTopics(10_000)
    Benchmark("Topics list loaded (10,000 topics, sorted)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            var refreshed = state
            blackHole(update(&refreshed, .topicsLoaded(.success(listing))))
            blackHole(refreshed)
        }
    }

    // Two successive frames: the cursor moved down one row.
    var moved = state
    _ = update(&moved, .key(.down))
    let first = render(state)
    let second = render(moved)
    precondition(changedCells(second, from: first) > 0)
    Benchmark("Screen diff (two successive frames, 200×50)", configuration: settings()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(changedCells(second, from: first))
        }
    }
}
