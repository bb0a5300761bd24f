// Whole frames: the length prefix, a header and a body, built and read in one call.

import NIOCore

extension AdminFrame {
    // MARK: Requests

    /// Builds a complete request frame: length prefix, ``RequestHeader`` and body.
    public static func encodeRequest(
        _ request: AdminRequest, version: UInt16, correlationId: UInt32,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        writeRequest(request, version: version, correlationId: correlationId, into: &buffer)
        return buffer
    }

    /// Appends a complete request frame to `buffer` (for a NIO `MessageToByteEncoder`).
    public static func writeRequest(
        _ request: AdminRequest, version: UInt16, correlationId: UInt32, into buffer: inout ByteBuffer
    ) {
        writeFrame(into: &buffer) { buffer in
            RequestHeader(api: request.apiKey, apiVersion: version, correlationId: correlationId)
                .encode(into: &buffer)
            request.encode(into: &buffer, version: version)
        }
    }

    /// Reads a request frame's payload: the header and the body (see
    /// ``AdminRequest/decode(header:body:)``). A server that must answer a bad body with the
    /// request's correlation id reads ``RequestHeader`` first and decodes the body separately.
    public static func decodeRequest(
        payload: inout ByteBuffer
    ) throws(AdminProtocolError) -> (header: RequestHeader, request: AdminRequest) {
        let header = try RequestHeader(from: &payload)
        return (header, try AdminRequest.decode(header: header, body: &payload))
    }

    // MARK: Responses

    /// Builds a complete response frame. With an `error` (whose code is not ``AdminErrorCode/none``)
    /// the frame carries that code and message and no body; otherwise it carries error code 0, an
    /// empty message and `body` (nil for none) in the layout of the request's `version`.
    public static func encodeResponse(
        correlationId: UInt32, error: (code: AdminErrorCode, message: String)?, body: AdminResponse?,
        version: UInt16 = 1, allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        writeResponse(correlationId: correlationId, error: error, body: body, version: version, into: &buffer)
        return buffer
    }

    /// Appends a complete response frame to `buffer`; see
    /// ``encodeResponse(correlationId:error:body:version:allocator:)``.
    public static func writeResponse(
        correlationId: UInt32, error: (code: AdminErrorCode, message: String)?, body: AdminResponse?,
        version: UInt16 = 1, into buffer: inout ByteBuffer
    ) {
        writeFrame(into: &buffer) { buffer in
            if let error, error.code != .none {
                ResponseHeader(
                    correlationId: correlationId, kind: .response, error: error.code, errorMessage: error.message
                )
                .encode(into: &buffer)
            } else {
                ResponseHeader(correlationId: correlationId, kind: .response, error: .none, errorMessage: "")
                    .encode(into: &buffer)
                body?.encode(into: &buffer, version: version)
            }
        }
    }

    /// Reads a response frame's payload for a request of `apiKey` sent at `version` (the header
    /// names neither: the client knows them from the correlation id). The body is nil exactly when
    /// the header carries an error; an error response with bytes after its header, a push frame or
    /// a body with bytes left over is malformed.
    public static func decodeResponse(
        payload: inout ByteBuffer, expecting apiKey: ApiKey, version: UInt16 = 1
    ) throws(AdminProtocolError) -> (header: ResponseHeader, body: AdminResponse?) {
        let header = try ResponseHeader(from: &payload)
        guard header.kind == .response else {
            throw .malformed(reason: "ResponseHeader.kind: a push frame where a response was expected")
        }
        guard header.isSuccess else {
            do throws(AdminProtocolError) {
                try payload.checkFullyConsumed()
            } catch {
                throw error.nested(in: "error response")
            }
            return (header, nil)
        }
        return (header, try AdminResponse.decode(apiKey: apiKey, version: version, body: &payload))
    }

    /// Reads the header of a payload from the broker without consuming it, to route the frame: a
    /// push to its subscription, a response to the request with its correlation id.
    public static func peekResponseHeader(payload: ByteBuffer) throws(AdminProtocolError) -> ResponseHeader {
        var copy = payload
        return try ResponseHeader(from: &copy)
    }

    // MARK: Pushes

    /// Builds a complete push frame (kind 1) of subscription `subscriptionId`, opened by a
    /// Subscribe or Search request of `version`.
    public static func encodePush(
        subscriptionId: UInt32, event: SubscriptionEvent, version: UInt16 = 1,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        writePush(subscriptionId: subscriptionId, event: event, version: version, into: &buffer)
        return buffer
    }

    /// Appends a complete push frame to `buffer`; see ``encodePush(subscriptionId:event:version:allocator:)``.
    public static func writePush(
        subscriptionId: UInt32, event: SubscriptionEvent, version: UInt16 = 1, into buffer: inout ByteBuffer
    ) {
        writeFrame(into: &buffer) { buffer in
            ResponseHeader(correlationId: subscriptionId, kind: .push, error: .none, errorMessage: "")
                .encode(into: &buffer)
            event.encode(into: &buffer, version: version)
        }
    }

    /// Reads a push frame's payload, of a subscription opened by a Subscribe or Search request of
    /// `version`. A frame that is not a push, a push with a non-zero error code (section 4.20:
    /// errors end a subscription with an `ended` event) or an event with bytes left over is malformed.
    public static func decodePush(
        payload: inout ByteBuffer, version: UInt16 = 1
    ) throws(AdminProtocolError) -> (subscriptionId: UInt32, event: SubscriptionEvent) {
        let header = try ResponseHeader(from: &payload)
        guard header.kind == .push else {
            throw .malformed(reason: "ResponseHeader.kind: a response where a push frame was expected")
        }
        guard header.isSuccess else {
            throw .malformed(reason: "ResponseHeader.errorCode: \(header.errorCode) in a push frame, which carries 0")
        }
        do throws(AdminProtocolError) {
            let event = try SubscriptionEvent(from: &payload, version: version)
            try payload.checkFullyConsumed()
            return (header.correlationId, event)
        } catch {
            throw error.nested(in: "SubscriptionEvent")
        }
    }

    // MARK: Framing

    /// Writes a length prefix, the payload `body` writes, then patches the prefix.
    private static func writeFrame(into buffer: inout ByteBuffer, _ body: (inout ByteBuffer) -> Void) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        body(&buffer)
        let length = buffer.writerIndex - lengthIndex - lengthPrefixSize
        precondition(length <= UInt32.max, "a frame payload longer than UInt32.max")
        buffer.setInteger(UInt32(truncatingIfNeeded: length), at: lengthIndex)
    }
}
