// Unsubscribe (key 20): `docs/admin-protocol.md`, section 4.21.

import NIOCore

/// Ends a subscription.
public struct UnsubscribeRequest: AdminMessage, Hashable, Sendable {
    /// The Unsubscribe API.
    public static let apiKey = ApiKey.unsubscribe

    /// The subscription's id (the Subscribe request's correlation id).
    public var subscriptionId: UInt32

    /// Creates the request.
    public init(subscriptionId: UInt32) {
        self.subscriptionId = subscriptionId
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        subscriptionId = try buffer.readWireInteger("subscriptionId")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(subscriptionId)
    }
}

/// The subscription ended. The body is empty.
public struct UnsubscribeResponse: AdminMessage, Hashable, Sendable {
    /// The Unsubscribe API.
    public static let apiKey = ApiKey.unsubscribe

    /// Creates the response.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}
