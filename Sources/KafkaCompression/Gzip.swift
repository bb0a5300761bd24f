import CZlib

/// gzip (RFC 1952) through zlib, as the Java client's GZIPOutputStream/GZIPInputStream: one member
/// written; members one after another read (as GZIPInputStream does), each with its CRC-32 and
/// length checked by zlib. Unlike GZIPInputStream, bytes after the last member that are not another
/// member are refused rather than ignored.
enum Gzip {
    /// zlib's window bits for a gzip (not zlib, not raw deflate) stream with a 32 KiB window.
    private static let gzipWindowBits: Int32 = 15 + 16
    /// zlib takes at most this many bytes per call (its counts are 32-bit).
    private static let chunk = Int(UInt32.max)

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CompressionError) -> [UInt8] {
        guard !input.isEmpty else { throw .truncated(codec: .gzip) }
        var stream = z_stream()
        guard skiff_inflate_init2(&stream, gzipWindowBits) == Z_OK else {
            throw .libraryFailure(codec: .gzip, reason: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        // The last member's ISIZE (its length modulo 2^32) is a good first guess for one member;
        // deflate cannot expand more than 1032 to 1, so a larger claim is not believed.
        let trailerSize = input.count >= 18 ? Int(input.littleEndianUInt32(at: input.count - 4)) : 0
        let expected = min(
            max(trailerSize, input.count * 4), input.count < Int.max / 1032 ? input.count * 1032 : Int.max)
        var output = BoundedOutput(codec: .gzip, limit: limit, expected: expected)
        let base = input.start.assumingMemoryBound(to: Bytef.self)
        var consumed = 0
        while true {
            let offered = min(input.count - consumed, chunk)
            stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
            stream.avail_in = UInt32(offered)
            var status = Z_OK
            try output.write(atMost: chunk) { (pointer, room) throws(CompressionError) in
                stream.next_out = pointer.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = UInt32(room)
                status = inflate(&stream, Z_NO_FLUSH)
                return room - Int(stream.avail_out)
            }
            consumed += offered - Int(stream.avail_in)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                if consumed == input.count { return output.finish() }
                guard input.count - consumed >= 2, input[consumed] == 0x1f, input[consumed + 1] == 0x8b else {
                    throw .corrupt(codec: .gzip, reason: "\(input.count - consumed) bytes follow the gzip data")
                }
                guard inflateReset(&stream) == Z_OK else {
                    throw .libraryFailure(codec: .gzip, reason: "inflateReset failed")
                }
            case Z_BUF_ERROR:
                // No progress: the output always has room here, so the input ran out.
                guard consumed < input.count else { throw .truncated(codec: .gzip) }
                throw .libraryFailure(codec: .gzip, reason: "inflate made no progress")
            case Z_DATA_ERROR:
                throw .corrupt(codec: .gzip, reason: stream.msg.map { String(cString: $0) } ?? "invalid data")
            case Z_NEED_DICT:
                throw .corrupt(codec: .gzip, reason: "the data needs a preset dictionary")
            case Z_MEM_ERROR:
                throw .libraryFailure(codec: .gzip, reason: "out of memory")
            default:
                throw .libraryFailure(codec: .gzip, reason: "inflate returned \(status)")
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int32?) throws(CompressionError) -> [UInt8] {
        var stream = z_stream()
        guard
            skiff_deflate_init2(&stream, level ?? Z_DEFAULT_COMPRESSION, gzipWindowBits, 8, Z_DEFAULT_STRATEGY)
                == Z_OK
        else {
            throw .libraryFailure(codec: .gzip, reason: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        var written = 0
        var consumed = 0
        let base = input.start.assumingMemoryBound(to: Bytef.self)
        while true {
            if written == output.count { output.grow(to: output.count * 2) }
            let offered = min(input.count - consumed, chunk)
            let flush = consumed + offered == input.count ? Z_FINISH : Z_NO_FLUSH
            stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
            stream.avail_in = UInt32(offered)
            let room = min(output.count - written, chunk)
            let status = output.withUnsafeMutableBytes { raw in
                stream.next_out = raw.baseAddress!.assumingMemoryBound(to: Bytef.self) + written
                stream.avail_out = UInt32(room)
                return deflate(&stream, flush)
            }
            written += room - Int(stream.avail_out)
            consumed += offered - Int(stream.avail_in)
            switch status {
            case Z_STREAM_END:
                output.removeSubrange(written...)
                return output
            case Z_OK, Z_BUF_ERROR:
                continue
            default:
                throw .libraryFailure(codec: .gzip, reason: "deflate returned \(status)")
            }
        }
    }
}
