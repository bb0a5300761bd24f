import NIOCore

/// A SwiftNIO `ByteToMessageDecoder` that cuts the byte stream into frame payloads with
/// ``AdminFrameDecoder/decodeFrame(from:maxFrameBytes:)``. Used by the server and the client;
/// it does no I/O itself. A bad length prefix is thrown as ``AdminProtocolError`` (the stream
/// cannot be resynchronised after it, so the connection must close).
public struct AdminFrameHandler: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The largest frame accepted.
    public let maxFrameBytes: Int

    /// Creates a decoder that refuses frames over `maxFrameBytes`.
    public init(maxFrameBytes: Int = AdminFrame.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try AdminFrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: maxFrameBytes) else {
            return .needMoreData
        }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }
}
