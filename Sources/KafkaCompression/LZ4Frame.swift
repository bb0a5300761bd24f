import CLZ4

/// LZ4 in the LZ4 frame format, which Kafka uses for magic 1 and 2 batches (the Java client's
/// `Lz4BlockOutputStream`, librdkafka's `rd_kafka_lz4_compress`):
///
///   magic 04 22 4D 18 | FLG | BD | [content size, 8 bytes] | [dictionary id, 4] | HC | blocks | end mark
///
/// HC is the second byte of XXH32 over FLG through the optional fields. Kafka before 0.10 (magic 0)
/// computed it over the magic too, and librdkafka and kafka-python still write that broken
/// checksum when talking to such brokers; Java's reader skips the check for magic 0 and
/// librdkafka repairs the byte before decoding. Here a frame whose HC matches neither form is
/// refused, one with the broken form is repaired (on a copy) and decoded. The rest is liblz4's
/// LZ4F decoder, which checks block and content checksums when a frame carries them. Exactly one
/// frame is read; bytes after it are refused (as librdkafka does).
///
/// Written as Java writes it: FLG 0x60 (version 1, independent blocks, no checksums, no content
/// size), BD 0x40 (64 KiB blocks).
enum LZ4Frame {
    static let magic: UInt32 = 0x184D_2204

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CompressionError) -> [UInt8] {
        guard input.count >= 4 else { throw .truncated(codec: .lz4) }
        guard input.littleEndianUInt32(at: 0) == magic else {
            throw .corrupt(codec: .lz4, reason: "not an LZ4 frame (no frame magic)")
        }
        guard input.count >= 7 else { throw .truncated(codec: .lz4) }
        let flags = input[4]
        var checksumPosition = 6
        if flags & 0x08 != 0 { checksumPosition += 8 }  // content size
        if flags & 0x01 != 0 { checksumPosition += 4 }  // dictionary id
        guard input.count > checksumPosition else { throw .truncated(codec: .lz4) }
        let stored = input[checksumPosition]
        let proper = headerChecksum(UnsafeRawBufferPointer(rebasing: input[4..<checksumPosition]))
        var contentSize = 0
        if flags & 0x08 != 0 {
            let size = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: 6, as: UInt64.self))
            contentSize = size > UInt64(Int.max) ? Int.max : Int(size)
            guard contentSize <= limit else { throw .outputLimitExceeded(codec: .lz4, limit: limit) }
        }
        // LZ4 expands at most 255 to 1: a larger content size claim is not believed for the guess.
        let expected = min(
            contentSize > 0 ? contentSize : input.count * 4, input.count < Int.max / 255 ? input.count * 255 : Int.max)
        if stored == proper {
            return try decode(input, limit: limit, expected: expected)
        }
        guard stored == headerChecksum(UnsafeRawBufferPointer(rebasing: input[0..<checksumPosition])) else {
            throw .corrupt(codec: .lz4, reason: "frame descriptor checksum mismatch")
        }
        var repaired = [UInt8](input)
        repaired[checksumPosition] = proper
        return try repaired.withBytes { (raw) throws(CompressionError) in
            try decode(raw, limit: limit, expected: expected)
        }
    }

    /// The frame descriptor's checksum byte: the second byte of XXH32 of `descriptor`.
    static func headerChecksum(_ descriptor: UnsafeRawBufferPointer) -> UInt8 {
        UInt8(truncatingIfNeeded: XXHash32.hash(descriptor) >> 8)
    }

    private static func decode(
        _ input: UnsafeRawBufferPointer, limit: Int, expected: Int
    ) throws(CompressionError) -> [UInt8] {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0, let context else {
            throw .libraryFailure(codec: .lz4, reason: "LZ4F_createDecompressionContext failed")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var output = BoundedOutput(codec: .lz4, limit: limit, expected: expected)
        var position = 0
        while true {
            var hint = 0
            var consumed = 0
            var filled = false
            var stalled = false
            try output.write { (pointer, room) throws(CompressionError) in
                var produced = room
                consumed = input.count - position
                hint = LZ4F_decompress(context, pointer, &produced, input.start + position, &consumed, nil)
                if LZ4F_isError(hint) != 0 {
                    throw .corrupt(codec: .lz4, reason: String(cString: LZ4F_getErrorName(hint)))
                }
                filled = produced == room
                stalled = produced == 0 && consumed == 0
                return produced
            }
            position += consumed
            if hint == 0 {
                guard position == input.count else {
                    throw .corrupt(codec: .lz4, reason: "\(input.count - position) bytes follow the LZ4 frame")
                }
                return output.finish()
            }
            if position == input.count && !filled { throw .truncated(codec: .lz4) }
            // The decoder always moves when it has input and room; never spin if it does not.
            if stalled { throw .libraryFailure(codec: .lz4, reason: "LZ4F_decompress made no progress") }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int32?) throws(CompressionError) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum
        preferences.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum
        preferences.compressionLevel = level ?? 0
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        guard LZ4F_isError(bound) == 0 else {
            throw .libraryFailure(codec: .lz4, reason: String(cString: LZ4F_getErrorName(bound)))
        }
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { raw in
            LZ4F_compressFrame(raw.baseAddress!, bound, input.start, input.count, &preferences)
        }
        guard LZ4F_isError(written) == 0 else {
            throw .libraryFailure(codec: .lz4, reason: String(cString: LZ4F_getErrorName(written)))
        }
        output.removeSubrange(written...)
        return output
    }
}

/// XXH32 (xxHash's 32-bit hash), for the LZ4 frame descriptor checksum: liblz4 does not export its
/// copy, and the descriptor is at most 19 bytes.
enum XXHash32 {
    private static let prime1: UInt32 = 0x9E37_79B1
    private static let prime2: UInt32 = 0x85EB_CA77
    private static let prime3: UInt32 = 0xC2B2_AE3D
    private static let prime4: UInt32 = 0x27D4_EB2F
    private static let prime5: UInt32 = 0x1656_67B1

    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        let count = bytes.count
        var index = 0
        var hash: UInt32
        if count >= 16 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while index + 16 <= count {
                v1 = round(v1, bytes.littleEndianUInt32(at: index))
                v2 = round(v2, bytes.littleEndianUInt32(at: index + 4))
                v3 = round(v3, bytes.littleEndianUInt32(at: index + 8))
                v4 = round(v4, bytes.littleEndianUInt32(at: index + 12))
                index += 16
            }
            hash = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
        } else {
            hash = seed &+ prime5
        }
        hash = hash &+ UInt32(truncatingIfNeeded: count)
        while index + 4 <= count {
            hash = rotate(hash &+ bytes.littleEndianUInt32(at: index) &* prime3, 17) &* prime4
            index += 4
        }
        while index < count {
            hash = rotate(hash &+ UInt32(bytes[index]) &* prime5, 11) &* prime1
            index += 1
        }
        hash ^= hash >> 15
        hash = hash &* prime2
        hash ^= hash >> 13
        hash = hash &* prime3
        hash ^= hash >> 16
        return hash
    }

    private static func round(_ accumulator: UInt32, _ lane: UInt32) -> UInt32 {
        rotate(accumulator &+ lane &* prime2, 13) &* prime1
    }

    private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value << count) | (value >> (32 - count))
    }
}
