import AdminProtocol
import NIOCore

/// The payload of a single frame (the bytes after the length prefix), checked to be one whole frame.
func payload(ofFrame frame: ByteBuffer) -> ByteBuffer {
    var frame = frame
    let length = frame.readInteger(as: UInt32.self)!
    precondition(Int(length) == frame.readableBytes, "not exactly one frame")
    return frame
}

/// The request frame of `request` at version 1.
func requestFrame(_ request: AdminRequest, correlationId: UInt32 = 42) -> ByteBuffer {
    AdminFrame.encodeRequest(request, version: 1, correlationId: correlationId)
}

/// The success response frame carrying `response`.
func responseFrame(_ response: AdminResponse, correlationId: UInt32 = 42) -> ByteBuffer {
    AdminFrame.encodeResponse(correlationId: correlationId, error: nil, body: response)
}

/// The body bytes of a request (no header).
func bodyBytes(_ request: AdminRequest) -> [UInt8] {
    var buffer = ByteBuffer()
    request.encode(into: &buffer)
    return buffer.bytes
}

/// The body bytes of a response (no header).
func bodyBytes(_ response: AdminResponse) -> [UInt8] {
    var buffer = ByteBuffer()
    response.encode(into: &buffer)
    return buffer.bytes
}
