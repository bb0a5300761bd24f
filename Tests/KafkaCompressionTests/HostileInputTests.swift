import Testing

@testable import KafkaCompression

/// Inputs a hostile or broken client can send: bombs, truncations, corruption, trailing bytes. Each
/// gives a clear error, never a crash, a hang or an allocation past the limit.
struct HostileInputTests {
    /// 16 MiB of zeros compresses to a few kilobytes (zstd, gzip) or under a megabyte (snappy, LZ4);
    /// a 1 MiB limit, or one byte less than the size, stops each at the limit.
    @Test(arguments: compressingCodecs)
    func decompressionBombsStopAtTheLimit(codec: CompressionCodec) throws {
        let size = 16 << 20
        let bomb = try codec.compress([UInt8](repeating: 0, count: size))
        #expect(bomb.count < 1 << 20)
        #expect(
            compressionError { try codec.decompress(bomb, maxOutputSize: 1 << 20) }
                == .outputLimitExceeded(codec: codec, limit: 1 << 20))
        #expect(
            compressionError { try codec.decompress(bomb, maxOutputSize: size - 1) }
                == .outputLimitExceeded(codec: codec, limit: size - 1))
        #expect(try codec.decompress(bomb, maxOutputSize: size).count == size)
        #expect(
            CompressionError.outputLimitExceeded(codec: codec, limit: 1 << 20).description
                == "\(codec) data decompresses to more than 1048576 bytes, the limit")
    }

    /// A raw snappy block, an LZ4 frame and a zstd frame can claim any size in a few bytes: the claim
    /// is refused before anything that large is allocated.
    @Test func claimedSizesPastTheLimitAreRefusedUpFront() throws {
        // Snappy: a varint claiming 2^31 - 1 bytes, then nothing.
        let snappy: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00]
        #expect(
            compressionError { try CompressionCodec.snappy.decompress(snappy, maxOutputSize: 1 << 20) }
                == .outputLimitExceeded(codec: .snappy, limit: 1 << 20))
        // xerial: a block claiming the same, after a valid block.
        var xerial = try CompressionCodec.snappy.compress(Array(plain.prefix(100)))
        xerial += [0, 0, 0, 6] + snappy
        #expect(
            compressionError { try CompressionCodec.snappy.decompress(xerial, maxOutputSize: 1 << 20) }
                == .outputLimitExceeded(codec: .snappy, limit: 1 << 20))
        // LZ4: a frame whose content size field says 1 TiB (HC fixed up so the header is valid).
        var lz4: [UInt8] = [0x04, 0x22, 0x4D, 0x18, 0x68, 0x40, 0, 0, 0, 0, 0, 1, 0, 0]
        lz4.append(lz4.withUnsafeBytes { LZ4Frame.headerChecksum(UnsafeRawBufferPointer(rebasing: $0[4..<14])) })
        lz4 += [0, 0, 0, 0]
        #expect(
            compressionError { try CompressionCodec.lz4.decompress(lz4, maxOutputSize: 1 << 20) }
                == .outputLimitExceeded(codec: .lz4, limit: 1 << 20))
        // zstd: a real frame of 85,500 bytes with a limit below that.
        let zstd = try fixture("plain.zstd-cli.zst")
        #expect(
            compressionError { try CompressionCodec.zstd.decompress(zstd, maxOutputSize: 1000) }
                == .outputLimitExceeded(codec: .zstd, limit: 1000))
    }

    /// Every prefix of a compressed block either fails with a CompressionError or (where the format
    /// has boundaries inside, such as xerial blocks or gzip members) gives a prefix of the plain text.
    @Test(arguments: FixtureTests.fixtures)
    func everyTruncationFailsCleanly(name: String, codec: CompressionCodec) throws {
        let bytes = try fixture(name)
        var failures = 0
        // Every 29th prefix of the larger fixtures, and each of the last 64 (the trailers and end marks).
        let lengths = Set(stride(from: 0, to: bytes.count, by: bytes.count > 2000 ? 29 : 1)).union(
            max(0, bytes.count - 64)..<bytes.count)
        for length in lengths.sorted() {
            do {
                let output = try codec.decompress(Array(bytes.prefix(length)), maxOutputSize: 1 << 20)
                #expect(isPrefixOfPlain(output), "\(name) prefix \(length)")
            } catch {
                failures += 1
                switch error {
                case .truncated, .corrupt: break
                default: Issue.record("\(name) prefix \(length): \(error)")
                }
            }
        }
        #expect(failures > 0)
    }

    /// A truncated single frame says "truncated", whatever the codec.
    @Test(arguments: compressingCodecs)
    func truncatedFramesSayTruncated(codec: CompressionCodec) throws {
        let compressed = try codec.compress(plain, snappyFraming: .raw)
        let error = compressionError { try codec.decompress(Array(compressed.dropLast(5)), maxOutputSize: 1 << 20) }
        if codec == .snappy {
            // A raw block has no end mark: its length header no longer matches.
            #expect(error == CompressionError.corrupt(codec: .snappy, reason: "invalid snappy block"))
        } else {
            #expect(error == CompressionError.truncated(codec: codec))
        }
        #expect(
            CompressionError.truncated(codec: codec).description
                == "\(codec) data is truncated: the input ends before the compressed data does")
    }

    /// Random byte flips decode or fail with a CompressionError; nothing traps.
    @Test(arguments: compressingCodecs)
    func randomCorruptionNeverCrashes(codec: CompressionCodec) throws {
        let compressed = try codec.compress(Array(plain.prefix(20_000)))
        var generator = SplitMix64(seed: UInt64(codec.rawValue))
        var rejected = 0
        for _ in 0..<800 {
            var corrupt = compressed
            for _ in 0..<(1 + generator.next() % 3) {
                corrupt[Int(generator.next() % UInt64(corrupt.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                _ = try codec.decompress(corrupt, maxOutputSize: 1 << 20)
            } catch {
                #expect(error.codec == codec)
                rejected += 1
            }
        }
        #expect(rejected > 400)
    }

    @Test func bytesAfterTheEndAreRefused() throws {
        let gzip = try CompressionCodec.gzip.compress(plain) + [0x00, 0x01]
        #expect(
            compressionError { try CompressionCodec.gzip.decompress(gzip, maxOutputSize: 1 << 20) }
                == .corrupt(codec: .gzip, reason: "2 bytes follow the gzip data"))
        let lz4 = try CompressionCodec.lz4.compress(plain) + [0x00]
        #expect(
            compressionError { try CompressionCodec.lz4.decompress(lz4, maxOutputSize: 1 << 20) }
                == .corrupt(codec: .lz4, reason: "1 bytes follow the LZ4 frame"))
        let zstd = try CompressionCodec.zstd.compress(plain) + [0x01, 0x02, 0x03, 0x04, 0x05]
        #expect(compressionError { try CompressionCodec.zstd.decompress(zstd, maxOutputSize: 1 << 20) }?.codec == .zstd)
        let xerial = try CompressionCodec.snappy.compress(plain) + [0x00, 0x00]
        #expect(
            compressionError { try CompressionCodec.snappy.decompress(xerial, maxOutputSize: 1 << 20) }
                == .truncated(codec: .snappy))
    }

    @Test func notTheCodecAtAll() {
        let text = Array("not compressed at all, just text".utf8)
        #expect(compressionError { try CompressionCodec.gzip.decompress(text, maxOutputSize: 1 << 20) }?.codec == .gzip)
        #expect(
            compressionError { try CompressionCodec.lz4.decompress(text, maxOutputSize: 1 << 20) }
                == .corrupt(codec: .lz4, reason: "not an LZ4 frame (no frame magic)"))
        #expect(compressionError { try CompressionCodec.zstd.decompress(text, maxOutputSize: 1 << 20) }?.codec == .zstd)
        for codec in compressingCodecs {
            #expect(compressionError { try codec.decompress([], maxOutputSize: 1 << 20) } != nil, "\(codec) of nothing")
        }
    }

    /// An LZ4 header checksum that is neither the proper one nor old Kafka's is refused.
    @Test func lz4HeaderChecksumMismatch() throws {
        var frame = try CompressionCodec.lz4.compress(plain)
        frame[6] ^= 0x5A
        #expect(
            compressionError { try CompressionCodec.lz4.decompress(frame, maxOutputSize: 1 << 20) }
                == .corrupt(codec: .lz4, reason: "frame descriptor checksum mismatch"))
    }

    @Test func noneKeepsTheLimit() throws {
        #expect(try CompressionCodec.none.decompress(plain, maxOutputSize: plain.count) == plain)
        #expect(
            compressionError { try CompressionCodec.none.decompress(plain, maxOutputSize: 10) }
                == .outputLimitExceeded(codec: .none, limit: 10))
        #expect(
            compressionError {
                try CompressionCodec.gzip.decompress(try! fixture("plain.gzip-cli.gz"), maxOutputSize: -5)
            } == .outputLimitExceeded(codec: .gzip, limit: 0))
    }
}
