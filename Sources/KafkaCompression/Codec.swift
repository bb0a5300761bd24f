extension CompressionCodec {
    /// Decompresses one compressed block of this codec (a record batch's records section) in any of
    /// the forms Kafka's clients write (see the table in CompressionCodec.swift); `.none` returns the
    /// input as it is.
    ///
    /// - Parameter maxOutputSize: the most bytes the result may have. Decompression stops as soon as
    ///   the output would pass it, and no buffer grows beyond it (plus one byte), whatever sizes the
    ///   input claims. Negative counts as 0.
    /// - Throws: ``CompressionError/outputLimitExceeded(codec:limit:)`` past `maxOutputSize`;
    ///   ``CompressionError/truncated(codec:)`` when the input stops early;
    ///   ``CompressionError/corrupt(codec:reason:)`` for anything else that is not valid data,
    ///   bytes after the end of the compressed data included.
    public func decompress(_ input: UnsafeRawBufferPointer, maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        let limit = max(maxOutputSize, 0)
        switch self {
        case .none:
            guard input.count <= limit else { throw .outputLimitExceeded(codec: self, limit: limit) }
            return [UInt8](input)
        case .gzip: return try Gzip.decompress(input, limit: limit)
        case .snappy: return try Snappy.decompress(input, limit: limit)
        case .lz4: return try LZ4Frame.decompress(input, limit: limit)
        case .zstd: return try Zstd.decompress(input, limit: limit)
        }
    }

    /// Decompresses `input`; see ``decompress(_:maxOutputSize:)-(UnsafeRawBufferPointer,_)``.
    public func decompress(_ input: [UInt8], maxOutputSize: Int) throws(CompressionError) -> [UInt8] {
        try input.withBytes { (raw) throws(CompressionError) in try decompress(raw, maxOutputSize: maxOutputSize) }
    }

    /// Compresses `input` the way the Java client does (see the table in CompressionCodec.swift);
    /// `.none` returns the input as it is.
    ///
    /// - Parameters:
    ///   - level: the compression level, within ``levels``; `nil` is the codec's default (gzip 6,
    ///     LZ4's fast mode, zstd 3).
    ///   - snappyFraming: for snappy, the xerial stream (Java's and kafka-python's) or one raw block
    ///     (librdkafka's); ignored by the other codecs.
    /// - Throws: ``CompressionError/invalidLevel(codec:level:)`` for a level the codec does not
    ///   accept; ``CompressionError/libraryFailure(codec:reason:)`` when the library fails.
    public func compress(
        _ input: UnsafeRawBufferPointer, level: Int32? = nil, snappyFraming: SnappyFraming = .xerial
    ) throws(CompressionError) -> [UInt8] {
        if let level {
            guard let levels, levels.contains(level) else { throw .invalidLevel(codec: self, level: level) }
        }
        switch self {
        case .none: return [UInt8](input)
        case .gzip: return try Gzip.compress(input, level: level)
        case .snappy: return try Snappy.compress(input, framing: snappyFraming)
        case .lz4: return try LZ4Frame.compress(input, level: level)
        case .zstd: return try Zstd.compress(input, level: level)
        }
    }

    /// Compresses `input`; see ``compress(_:level:snappyFraming:)-(UnsafeRawBufferPointer,_,_)``.
    public func compress(
        _ input: [UInt8], level: Int32? = nil, snappyFraming: SnappyFraming = .xerial
    ) throws(CompressionError) -> [UInt8] {
        try input.withBytes { (raw) throws(CompressionError) in
            try compress(raw, level: level, snappyFraming: snappyFraming)
        }
    }
}
