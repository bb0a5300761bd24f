// Frames of the admin protocol (`docs/admin-protocol.md`, section 3):
//
//   Frame           length uint32 (bytes that follow; 8 <= length <= max frame size), payload
//   RequestHeader   apiKey uint16, apiVersion uint16, correlationId uint32       (8 bytes)
//   ResponseHeader  correlationId uint32, kind uint8 (0 = response, 1 = push),
//                   errorCode int16, errorMessage string                        (9+ bytes)
//
// A response body follows its header only when errorCode is 0.

import NIOCore

/// Namespace for frame-level constants and the helpers that build and read whole frames.
public enum AdminFrame {
    /// The size of a frame's length prefix in bytes.
    public static let lengthPrefixSize = 4
    /// The smallest valid frame length (the length prefix's value): a request header's 8 bytes.
    public static let minimumLength = 8
    /// The maximum frame length unless the broker announces another in ``ApiVersionsResponse``:
    /// 16 MiB.
    public static let defaultMaxFrameBytes = 16 * 1024 * 1024
}

/// The first 8 bytes of a request payload.
public struct RequestHeader: Hashable, Sendable {
    /// The size of an encoded request header in bytes.
    public static let wireSize = 8

    /// The API key as sent. It may name no known API (``api`` is then nil): the broker still needs
    /// the correlation id to answer `UNKNOWN_API`.
    public var apiKey: UInt16
    /// The version of the API the body is encoded in.
    public var apiVersion: UInt16
    /// Chosen by the client; the response carries it back.
    public var correlationId: UInt32

    /// Creates a header from a raw API key.
    public init(apiKey: UInt16, apiVersion: UInt16, correlationId: UInt32) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
    }

    /// Creates a header for a known API.
    public init(api: ApiKey, apiVersion: UInt16, correlationId: UInt32) {
        self.init(apiKey: api.rawValue, apiVersion: apiVersion, correlationId: correlationId)
    }

    /// The API the header names, or nil for a key this codec does not know.
    public var api: ApiKey? { ApiKey(rawValue: apiKey) }

    /// Reads a header from the start of a request payload.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        do {
            apiKey = try buffer.readWireInteger("apiKey")
            apiVersion = try buffer.readWireInteger("apiVersion")
            correlationId = try buffer.readWireInteger("correlationId")
        } catch {
            throw error.nested(in: "RequestHeader")
        }
    }

    /// Writes the header's 8 bytes.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(apiKey)
        buffer.writeInteger(apiVersion)
        buffer.writeInteger(correlationId)
    }
}

/// What a frame from the broker carries: the answer to a request or an event of a subscription.
public enum ResponseKind: UInt8, Hashable, Sendable {
    /// The response to the request with the header's correlation id.
    case response = 0
    /// A push event of the subscription whose id is the header's correlation id.
    case push = 1
}

/// The start of every payload the broker sends.
public struct ResponseHeader: Hashable, Sendable {
    /// The request's correlation id; for a push, the subscription id.
    public var correlationId: UInt32
    /// Response or push.
    public var kind: ResponseKind
    /// 0 on success. Kept raw: a newer broker may send a code this client does not know
    /// (``knownErrorCode`` is then nil).
    public var errorCode: Int16
    /// Empty on success; a sentence a person understands otherwise.
    public var errorMessage: String

    /// Creates a header.
    public init(correlationId: UInt32, kind: ResponseKind, errorCode: Int16, errorMessage: String) {
        self.correlationId = correlationId
        self.kind = kind
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// Creates a header with a known error code (``AdminErrorCode/none`` for success).
    public init(correlationId: UInt32, kind: ResponseKind, error: AdminErrorCode, errorMessage: String) {
        self.init(correlationId: correlationId, kind: kind, errorCode: error.rawValue, errorMessage: errorMessage)
    }

    /// True when ``errorCode`` is 0 and a body follows.
    public var isSuccess: Bool { errorCode == 0 }

    /// The error code as ``AdminErrorCode``, or nil for a code this codec does not know.
    public var knownErrorCode: AdminErrorCode? { AdminErrorCode(rawValue: errorCode) }

    /// The message to show a person: ``errorMessage``, or when the broker sent none the code's
    /// default sentence (or the bare number for an unknown code).
    public var displayMessage: String {
        if !errorMessage.isEmpty { return errorMessage }
        if let known = knownErrorCode { return known.defaultMessage }
        return "The broker answered with unknown error code \(errorCode)."
    }

    /// Reads a header from the start of a payload from the broker.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        do throws(AdminProtocolError) {
            correlationId = try buffer.readWireInteger("correlationId")
            let rawKind = try buffer.readWireInteger("kind", as: UInt8.self)
            guard let kind = ResponseKind(rawValue: rawKind) else {
                throw .malformed(reason: "kind: \(rawKind) is neither 0 (response) nor 1 (push)")
            }
            self.kind = kind
            errorCode = try buffer.readWireInteger("errorCode")
            errorMessage = try buffer.readWireString("errorMessage")
        } catch {
            throw error.nested(in: "ResponseHeader")
        }
    }

    /// Writes the header.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(correlationId)
        buffer.writeInteger(kind.rawValue)
        buffer.writeInteger(errorCode)
        buffer.writeWireString(errorMessage)
    }
}

/// Splits a byte stream into frame payloads. Pure and incremental: feed it bytes as they arrive, in
/// chunks of any size, and it returns each payload (without its length prefix) once complete.
///
/// A length below ``AdminFrame/minimumLength`` throws ``AdminProtocolError/malformed(reason:)``
/// and one above ``maxFrameBytes`` throws ``AdminProtocolError/frameTooLarge(size:limit:)``, as
/// soon as the 4 length bytes are in, without waiting for (or buffering) the payload. Either
/// leaves the stream out of sync for good: every later call throws the same error.
///
/// A SwiftNIO `ByteToMessageDecoder` wraps ``decodeFrame(from:maxFrameBytes:)`` instead, since
/// it keeps its own buffer.
public struct AdminFrameDecoder: Sendable {
    /// The largest frame length accepted. A client raises it to the broker's `maxFrameBytes`
    /// after the handshake.
    public var maxFrameBytes: Int

    private var buffer: ByteBuffer?
    private var failure: AdminProtocolError?

    /// Creates a decoder with an empty buffer.
    public init(maxFrameBytes: Int = AdminFrame.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    /// Bytes received but not yet returned as a frame.
    public var bufferedBytes: Int { buffer?.readableBytes ?? 0 }

    /// Appends `bytes` and returns every payload that is now complete, in stream order.
    public mutating func feed(_ bytes: ByteBuffer) throws(AdminProtocolError) -> [ByteBuffer] {
        append(bytes)
        var frames: [ByteBuffer] = []
        while let frame = try nextFrame() {
            frames.append(frame)
        }
        return frames
    }

    /// Appends `bytes` to the buffer without decoding; ``nextFrame()`` takes frames out.
    public mutating func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        if var existing = buffer, existing.readableBytes > 0 {
            buffer = nil  // keep the storage uniquely referenced while writing
            // Drop the frames already handed out: at most one partial frame is moved, once per chunk.
            if existing.readerIndex > 0 { existing.discardReadBytes() }
            existing.writeImmutableBuffer(bytes)
            buffer = existing
        } else {
            buffer = bytes
        }
    }

    /// Takes the next complete payload out of the buffer, or returns nil until more bytes arrive.
    public mutating func nextFrame() throws(AdminProtocolError) -> ByteBuffer? {
        if let failure { throw failure }
        guard var pending = buffer else { return nil }
        buffer = nil
        let frame: ByteBuffer?
        do {
            frame = try Self.decodeFrame(from: &pending, maxFrameBytes: maxFrameBytes)
        } catch {
            failure = error
            throw error
        }
        // Once everything is handed out the next chunk starts a fresh buffer.
        buffer = pending.readableBytes == 0 ? nil : pending
        return frame
    }

    /// Reads one frame's payload off the front of `buffer` if it is complete, leaving `buffer`
    /// untouched when it is not. Throws as soon as the length prefix is out of bounds.
    public static func decodeFrame(
        from buffer: inout ByteBuffer, maxFrameBytes: Int = AdminFrame.defaultMaxFrameBytes
    ) throws(AdminProtocolError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        let size = Int(length)
        guard size >= AdminFrame.minimumLength else {
            throw .malformed(reason: "frame: length \(size) is below the minimum of \(AdminFrame.minimumLength)")
        }
        guard size <= maxFrameBytes else { throw .frameTooLarge(size: size, limit: maxFrameBytes) }
        guard buffer.readableBytes >= AdminFrame.lengthPrefixSize + size else { return nil }
        buffer.moveReaderIndex(forwardBy: AdminFrame.lengthPrefixSize)
        return buffer.readSlice(length: size)
    }
}
