import CSnappy

/// Snappy in the two forms Kafka clients write it:
///
/// - the xerial (snappy-java) stream, which the Java client (`SnappyOutputStream`) and kafka-python
///   write: a 16-byte header, `0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00` then a big-endian version and
///   minimum compatible version (both 1), then blocks of a big-endian 32-bit length and a raw
///   snappy block, each of at most 32 KiB of input;
/// - one raw snappy block, which librdkafka writes.
///
/// A block starting with the xerial magic is read as a xerial stream (as snappy-java, librdkafka and
/// kafka-python decide), anything else as a raw block. The version fields are not checked: some
/// producers write them little-endian (kafka-python issue 2414). A header repeated between blocks
/// (concatenated streams, which snappy-java reads) is skipped.
enum Snappy {
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    static let xerialHeaderSize = 16
    static let xerialBlockSize = 32 * 1024

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CompressionError) -> [UInt8] {
        guard hasXerialMagic(input, at: 0) else {
            var output = BoundedOutput(codec: .snappy, limit: limit, expected: 0)
            try decompressBlock(input, into: &output)
            return output.finish()
        }
        guard input.count >= xerialHeaderSize else { throw .truncated(codec: .snappy) }
        var output = BoundedOutput(codec: .snappy, limit: limit, expected: input.count * 4)
        var position = xerialHeaderSize
        while position < input.count {
            if hasXerialMagic(input, at: position) {
                guard input.count - position >= xerialHeaderSize else { throw .truncated(codec: .snappy) }
                position += xerialHeaderSize
                continue
            }
            guard input.count - position >= 4 else { throw .truncated(codec: .snappy) }
            let length = Int(Int32(bitPattern: input.bigEndianUInt32(at: position)))
            position += 4
            guard length > 0 else {
                throw .corrupt(codec: .snappy, reason: "xerial block at byte \(position - 4) has length \(length)")
            }
            guard length <= input.count - position else { throw .truncated(codec: .snappy) }
            try decompressBlock(UnsafeRawBufferPointer(rebasing: input[position..<(position + length)]), into: &output)
            position += length
        }
        return output.finish()
    }

    /// Decompresses one raw snappy block onto `output`, checking the length it claims against the
    /// limit before allocating it.
    private static func decompressBlock(
        _ block: UnsafeRawBufferPointer, into output: inout BoundedOutput
    ) throws(CompressionError) {
        let source = block.start.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard !block.isEmpty, snappy_uncompressed_length(source, block.count, &length) == SNAPPY_OK else {
            throw .corrupt(codec: .snappy, reason: "not a snappy block (no valid length header)")
        }
        try output.write(exactly: length) { (pointer) throws(CompressionError) in
            var written = length
            let status = snappy_uncompress(source, block.count, pointer.assumingMemoryBound(to: CChar.self), &written)
            guard status == SNAPPY_OK, written == length else {
                throw .corrupt(codec: .snappy, reason: "invalid snappy block")
            }
            return written
        }
    }

    private static func hasXerialMagic(_ input: UnsafeRawBufferPointer, at position: Int) -> Bool {
        guard input.count - position >= xerialMagic.count else { return false }
        for index in xerialMagic.indices where input[position + index] != xerialMagic[index] { return false }
        return true
    }

    static func compress(_ input: UnsafeRawBufferPointer, framing: SnappyFraming) throws(CompressionError) -> [UInt8] {
        guard framing == .xerial else {
            var output = [UInt8](repeating: 0, count: snappy_max_compressed_length(input.count))
            let written = try output.withMutableBytes { (raw) throws(CompressionError) in
                try compressBlock(input, into: raw.baseAddress!, capacity: raw.count)
            }
            output.removeSubrange(written...)
            return output
        }
        let blocks = (input.count + xerialBlockSize - 1) / xerialBlockSize
        let bound = xerialHeaderSize + blocks * (4 + snappy_max_compressed_length(xerialBlockSize))
        var output = [UInt8](repeating: 0, count: bound)
        let written = try output.withMutableBytes { (raw) throws(CompressionError) -> Int in
            let base = raw.baseAddress!
            base.copyMemory(from: xerialMagic, byteCount: xerialMagic.count)
            raw.storeBytes(of: UInt32(1).bigEndian, toByteOffset: 8, as: UInt32.self)  // version
            raw.storeBytes(of: UInt32(1).bigEndian, toByteOffset: 12, as: UInt32.self)  // minimum compatible
            var position = xerialHeaderSize
            var consumed = 0
            while consumed < input.count {
                let end = min(consumed + xerialBlockSize, input.count)
                let length = try compressBlock(
                    UnsafeRawBufferPointer(rebasing: input[consumed..<end]), into: base + position + 4,
                    capacity: raw.count - position - 4)
                raw.storeBytes(of: UInt32(length).bigEndian, toByteOffset: position, as: UInt32.self)
                position += 4 + length
                consumed = end
            }
            return position
        }
        output.removeSubrange(written...)
        return output
    }

    /// Writes one raw snappy block of `input` at `destination` and returns its length.
    private static func compressBlock(
        _ input: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer, capacity: Int
    ) throws(CompressionError) -> Int {
        var length = capacity
        let status = snappy_compress(
            input.start.assumingMemoryBound(to: CChar.self), input.count,
            destination.assumingMemoryBound(to: CChar.self), &length)
        guard status == SNAPPY_OK else { throw .libraryFailure(codec: .snappy, reason: "snappy_compress failed") }
        return length
    }
}
