import Testing

@testable import KafkaCompression

/// Blocks written by software Skiff did not write (Fixtures/make-fixtures.sh says which and how)
/// decompress to the plain text.
struct FixtureTests {
    static let fixtures: [(String, CompressionCodec)] = [
        ("plain.gzip-cli.gz", .gzip),  // gzip -9 -n
        ("plain.two-members.gz", .gzip),  // two gzip members one after another
        ("plain.python-zlib.gz", .gzip),  // Python's zlib, wbits 31
        ("plain.kafka-python-xerial.snappy", .snappy),  // kafka.codec.snappy_encode: xerial framing
        ("plain.python-snappy-raw.snappy", .snappy),  // python-snappy: one raw block (librdkafka's form)
        ("plain.lz4-cli.lz4", .lz4),  // lz4 CLI: content checksum
        ("plain.lz4-cli-dependent-checksums-size.lz4", .lz4),  // lz4 -BD -BX --content-size
        ("plain.kafka-python.lz4", .lz4),  // kafka.codec.lz4_encode (python-lz4, content size)
        ("plain.kafka-python-old-kafka.lz4", .lz4),  // kafka.codec.lz4_encode_old_kafka: broken HC
        ("plain.zstd-cli.zst", .zstd),  // zstd CLI on a file: content size
        ("plain.zstd-cli-stream.zst", .zstd),  // zstd CLI on a pipe: no content size
        ("plain.zstd-cli-two-frames.zst", .zstd),  // two frames, the second without a size
        ("plain.kafka-python.zst", .zstd),  // kafka.codec.zstd_encode (python-zstandard)
    ]

    @Test(arguments: fixtures)
    func fixtureDecompresses(name: String, codec: CompressionCodec) throws {
        #expect(try codec.decompress(try fixture(name), maxOutputSize: plain.count) == plain)
        #expect(
            compressionError { try codec.decompress(try! fixture(name), maxOutputSize: plain.count - 1) }
                == .outputLimitExceeded(codec: codec, limit: plain.count - 1))
    }

    /// The fixtures really are in the forms they stand for.
    @Test func fixturesAreWhatTheyClaim() throws {
        #expect(Array(try fixture("plain.kafka-python-xerial.snappy").prefix(8)) == Snappy.xerialMagic)
        #expect(Array(try fixture("plain.python-snappy-raw.snappy").prefix(8)) != Snappy.xerialMagic)
        // The old-Kafka frame's HC is XXH32 over magic, FLG and BD; the others' over FLG and BD.
        let old = try fixture("plain.kafka-python-old-kafka.lz4")
        let proper = try fixture("plain.lz4-cli.lz4")
        old.withUnsafeBytes { raw in
            #expect(old[6] == LZ4Frame.headerChecksum(UnsafeRawBufferPointer(rebasing: raw[0..<6])))
            #expect(old[6] != LZ4Frame.headerChecksum(UnsafeRawBufferPointer(rebasing: raw[4..<6])))
        }
        proper.withUnsafeBytes { raw in
            #expect(proper[6] == LZ4Frame.headerChecksum(UnsafeRawBufferPointer(rebasing: raw[4..<6])))
        }
    }

    /// XXH32 against Python's xxhash module (xxhash.xxh32(data).intdigest()).
    @Test func xxHash32MatchesTheReference() {
        let vectors: [(String, UInt32)] = [
            ("", 0x02CC_5D05), ("a", 0x550D_7456), ("abc", 0x32D1_53FF), ("0123456789abcdefghij", 0x3560_0916),
        ]
        for (text, expected) in vectors {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { XXHash32.hash($0) } == expected, "\(text)")
        }
    }
}
