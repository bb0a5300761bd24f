import Testing

@testable import KafkaCompression

/// What `compress` writes, `decompress` reads back, for every codec and the inputs a batch can hold.
struct RoundTripTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [0x2A]),
        ("text", plain),
        ("incompressible", randomBytes(200_000, seed: 7)),
        ("zeros", [UInt8](repeating: 0, count: 1 << 20)),
    ]

    @Test(arguments: CompressionCodec.allCases)
    func roundTrip(codec: CompressionCodec) throws {
        for (name, input) in Self.inputs {
            let compressed = try codec.compress(input)
            let output = try codec.decompress(compressed, maxOutputSize: input.count)
            #expect(output == input, "\(codec) \(name)")
        }
    }

    @Test func rawSnappyRoundTrip() throws {
        for (name, input) in Self.inputs {
            let compressed = try CompressionCodec.snappy.compress(input, snappyFraming: .raw)
            #expect(try CompressionCodec.snappy.decompress(compressed, maxOutputSize: input.count) == input, "\(name)")
        }
    }

    @Test(arguments: [CompressionCodec.gzip, .lz4, .zstd])
    func everyLevelRoundTrips(codec: CompressionCodec) throws {
        let levels = try #require(codec.levels)
        for level in [levels.lowerBound, levels.upperBound] + (codec == .zstd ? [-5, 0, 3, 19] : []) {
            let compressed = try codec.compress(plain, level: level)
            #expect(try codec.decompress(compressed, maxOutputSize: plain.count) == plain, "\(codec) level \(level)")
        }
    }

    @Test func levelsOutsideTheRangeAreRefused() {
        #expect(
            compressionError { try CompressionCodec.gzip.compress(plain, level: 0) }
                == .invalidLevel(codec: .gzip, level: 0))
        #expect(
            compressionError { try CompressionCodec.gzip.compress(plain, level: 10) }
                == .invalidLevel(codec: .gzip, level: 10))
        #expect(
            compressionError { try CompressionCodec.lz4.compress(plain, level: 18) }
                == .invalidLevel(codec: .lz4, level: 18))
        #expect(
            compressionError { try CompressionCodec.zstd.compress(plain, level: 23) }
                == .invalidLevel(codec: .zstd, level: 23))
        #expect(
            compressionError { try CompressionCodec.snappy.compress(plain, level: 1) }
                == .invalidLevel(codec: .snappy, level: 1))
        #expect(
            CompressionError.invalidLevel(codec: .gzip, level: 10).description
                == "gzip compression level 10 is outside 1...9")
        #expect(
            CompressionError.invalidLevel(codec: .snappy, level: 1).description
                == "snappy has no compression levels (level 1 given)")
    }

    @Test func codecsMatchKafkaAttributes() {
        #expect(CompressionCodec.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(CompressionCodec.allCases.map(\.description) == ["none", "gzip", "snappy", "lz4", "zstd"])
        #expect(CompressionCodec(attributes: 0x0B) == .lz4)  // log append time | lz4
        #expect(CompressionCodec(attributes: 0x14) == .zstd)  // transactional | zstd
        #expect(CompressionCodec(attributes: 0x05) == nil)
        #expect(CompressionCodec(attributes: 0x07) == nil)
    }
}

/// The bytes `compress` writes are the formats the Java client writes, header for header.
struct WrittenFormatTests {
    @Test func gzipIsOneRFC1952Member() throws {
        let compressed = try CompressionCodec.gzip.compress(plain)
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08])  // magic, deflate
        let size = compressed.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(size == plain.count)  // ISIZE
    }

    /// snappy-java's SnappyOutputStream: the 16-byte header, then [length][block] per 32 KiB.
    @Test func snappyIsTheXerialStream() throws {
        let compressed = try CompressionCodec.snappy.compress(plain)
        #expect(
            Array(compressed.prefix(16)) == [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])
        var position = 16
        var blocks: [Int] = []
        while position < compressed.count {
            let length = compressed[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            let block = Array(compressed[(position + 4)..<(position + 4 + length)])
            blocks.append(try CompressionCodec.snappy.decompress(block, maxOutputSize: 1 << 20).count)
            position += 4 + length
        }
        #expect(position == compressed.count)
        #expect(blocks == [32_768, 32_768, plain.count - 65_536])
        // librdkafka's form: one raw block, which starts with the uncompressed length as a varint.
        let raw = try CompressionCodec.snappy.compress(plain, snappyFraming: .raw)
        #expect(Array(raw.prefix(3)) == [0xFC, 0x9B, 0x05])  // 85,500
    }

    /// Kafka's Lz4BlockOutputStream header: magic, FLG 0x60, BD 0x40, HC 0x82 (XXH32 of FLG BD).
    @Test func lz4IsTheJavaClientsFrame() throws {
        let compressed = try CompressionCodec.lz4.compress(plain)
        #expect(Array(compressed.prefix(7)) == [0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, 0x82])
        #expect(Array(compressed.suffix(4)) == [0, 0, 0, 0])  // end mark, no content checksum
    }

    @Test func zstdIsOneFrameWithItsSize() throws {
        let compressed = try CompressionCodec.zstd.compress(plain)
        #expect(Array(compressed.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(compressed.count < plain.count / 20)
    }
}
