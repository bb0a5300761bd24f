import NIOCore

/// A request or response body of one API: its fields in wire order, without any header.
///
/// `init(from:)` reads exactly the body's fields and leaves anything after them in the buffer;
/// ``AdminRequest/decode(header:body:)`` and ``AdminFrame`` check that nothing is left over.
public protocol AdminMessage: Hashable, Sendable {
    /// The API this body belongs to.
    static var apiKey: ApiKey { get }
    /// Writes the body's fields.
    func encode(into buffer: inout ByteBuffer)
    /// Reads the body's fields.
    init(from buffer: inout ByteBuffer) throws(AdminProtocolError)
}

extension AdminMessage {
    /// Reads a whole body: the fields, then a check that no bytes are left over. A malformed
    /// reason is prefixed with the type's name (`ProduceRequest.records[2].key: …`).
    static func decodeBody(
        _ body: inout ByteBuffer, allowTrailingBytes: Bool = false
    ) throws(AdminProtocolError) -> Self {
        do {
            let message = try Self(from: &body)
            if allowTrailingBytes {
                body.moveReaderIndex(to: body.writerIndex)
            } else {
                try body.checkFullyConsumed()
            }
            return message
        } catch {
            throw error.nested(in: String(describing: Self.self))
        }
    }
}
