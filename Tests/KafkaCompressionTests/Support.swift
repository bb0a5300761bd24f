import Foundation
import Testing

@testable import KafkaCompression

/// The plain text every fixture in Fixtures/ compresses (make-fixtures.sh writes the same): 1,500
/// numbered lines, 85,500 bytes.
let plain: [UInt8] = (0..<1500).flatMap { (number: Int) -> [UInt8] in
    let digits = String(number)
    let padded = String(repeating: "0", count: 4 - digits.count) + digits
    return Array("record \(padded): the quick brown fox jumps over the lazy dog\n".utf8)
}

/// The bytes of `Fixtures/<name>`.
func fixture(_ name: String) throws -> [UInt8] {
    let folder = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")
    return [UInt8](try Data(contentsOf: folder.appending(path: name)))
}

/// A small deterministic random generator, so generated test data is the same on every run.
struct SplitMix64: RandomNumberGenerator {
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

/// `count` bytes that do not compress.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
}

/// The codecs that compress (every case but `.none`).
let compressingCodecs: [CompressionCodec] = [.gzip, .snappy, .lz4, .zstd]

/// The error `body` throws, or `nil` when it returns (an error of another type is a test failure).
func compressionError(_ body: () throws -> [UInt8]) -> CompressionError? {
    do {
        _ = try body()
        return nil
    } catch {
        guard let error = error as? CompressionError else {
            Issue.record("not a CompressionError: \(error)")
            return nil
        }
        return error
    }
}

/// Whether `bytes` is a strict prefix of ``plain`` (compared with memcmp: tests run unoptimized).
func isPrefixOfPlain(_ bytes: [UInt8]) -> Bool {
    guard bytes.count < plain.count else { return false }
    return bytes.withUnsafeBytes { a in
        plain.withUnsafeBytes { b in bytes.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, bytes.count) == 0 }
    }
}
