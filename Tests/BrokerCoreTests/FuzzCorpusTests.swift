import Foundation
import Testing

@testable import BrokerCore

/// The seed corpus of the record batch fuzzer (Fuzz/corpus/RecordBatchFuzzer, see docs/fuzzing.md)
/// and the inputs the fuzzer once crashed on. `SKIFF_WRITE_FUZZ_CORPUS=1 swift test --filter
/// FuzzCorpusTests` rewrites the seeds.
struct FuzzCorpusTests {
    static let folder = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "../../Fuzz/corpus/RecordBatchFuzzer").standardized

    static var seeds: [String: [UInt8]] {
        var seeds: [String: [UInt8]] = [:]
        let samples = RecordBatchTests.sample
        for count in 1...samples.count {
            seeds["batch-\(count)-records"] = try! RecordBatchEncoder.encode(
                Array(samples.prefix(count)), baseOffset: Int64(count) * 10, defaultTimestamp: 1_700_000_000_000)
        }
        var appendTime = try! RecordBatchEncoder.encode(samples, baseOffset: 0, defaultTimestamp: 7)
        appendTime[22] |= 0x08  // attributes: log append time
        appendTime.fixChecksum()
        seeds["batch-log-append-time"] = appendTime
        let plain = try! RecordBatchEncoder.encode(samples, baseOffset: 0, defaultTimestamp: 7)
        for compression in [RecordCompression.gzip, .snappy, .lz4, .zstd] {
            seeds["batch-\(compression)"] = try! RecordBatchEncoder.compressed(plain, with: compression)
        }
        return seeds
    }

    /// Every committed seed is a valid batch that decodes, so the fuzzer starts from deep inside the decoder.
    @Test func seedsDecode() throws {
        if ProcessInfo.processInfo.environment["SKIFF_WRITE_FUZZ_CORPUS"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            for (name, bytes) in Self.seeds {
                try Data(bytes).write(to: Self.folder.appending(path: name))
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
        #expect(Set(names) == Set(Self.seeds.keys))
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: Self.folder.appending(path: name)))
            #expect(bytes == Self.seeds[name], "\(name) is stale: regenerate the corpus")
            let header = try RecordBatchDecoder.validateClientBatch(bytes)
            #expect(try RecordBatchDecoder.decode(bytes).count == Int(header.recordsCount))
        }
    }
}

extension [UInt8] {
    /// Recomputes the CRC at bytes 17-20 after a test changed the attributes.
    fileprivate mutating func fixChecksum() {
        let crc = withUnsafeBytes { RecordBatchHeader.checksum(of: $0) }
        for index in 0..<4 { self[17 + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * index)) }
    }
}
