import CZstd

/// Zstandard frames through libzstd's streaming decoder, so a frame without a content size (what
/// the Java client's `ZstdOutputStream` and a dynamically linked librdkafka write) decodes like one
/// with it; frames one after another and skippable frames are read as libzstd reads them. A first
/// frame that declares more than the limit is refused before anything is allocated (as librdkafka
/// does). The decoder's window is libzstd's default maximum (2^27 bytes), as in zstd-jni.
///
/// Written as one frame with its content size, at level 3 (Kafka's default) unless told.
enum Zstd {
    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CompressionError) -> [UInt8] {
        guard let context = ZSTD_createDStream() else {
            throw .libraryFailure(codec: .zstd, reason: "ZSTD_createDStream failed")
        }
        defer { ZSTD_freeDStream(context) }
        var expected = input.count * 4
        let declared = ZSTD_getFrameContentSize(input.start, input.count)
        if declared != skiff_zstd_contentsize_unknown() && declared != skiff_zstd_contentsize_error() {
            guard declared <= UInt64(limit) else { throw .outputLimitExceeded(codec: .zstd, limit: limit) }
            // The claim sizes the first allocation only up to 1024 times the input (a few bytes must
            // not reserve the whole limit); the buffer grows if the data really is larger.
            expected = Int(min(declared, UInt64(input.count) &* 1024 &+ 4096))
        }
        var output = BoundedOutput(codec: .zstd, limit: limit, expected: expected)
        var source = ZSTD_inBuffer(src: input.start, size: input.count, pos: 0)
        while true {
            var hint = 0
            var filled = false
            var stalled = false
            try output.write { (pointer, room) throws(CompressionError) in
                var destination = ZSTD_outBuffer(dst: pointer, size: room, pos: 0)
                let before = source.pos
                hint = ZSTD_decompressStream(context, &destination, &source)
                stalled = destination.pos == 0 && source.pos == before
                if ZSTD_isError(hint) != 0 {
                    throw .corrupt(codec: .zstd, reason: String(cString: ZSTD_getErrorName(hint)))
                }
                filled = destination.pos == room
                return destination.pos
            }
            if source.pos == source.size {
                if hint == 0 { return output.finish() }
                if !filled { throw .truncated(codec: .zstd) }
            }
            // The decoder always moves when it has input and room; never spin if it does not.
            if stalled && source.pos < source.size {
                throw .libraryFailure(codec: .zstd, reason: "ZSTD_decompressStream made no progress")
            }
        }
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int32?) throws(CompressionError) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        guard ZSTD_isError(bound) == 0 else {
            throw .libraryFailure(codec: .zstd, reason: String(cString: ZSTD_getErrorName(bound)))
        }
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { raw in
            ZSTD_compress(raw.baseAddress!, bound, input.start, input.count, level ?? 3)
        }
        guard ZSTD_isError(written) == 0 else {
            throw .libraryFailure(codec: .zstd, reason: String(cString: ZSTD_getErrorName(written)))
        }
        output.removeSubrange(written...)
        return output
    }
}
