// DeleteRecords (key 21): `docs/admin-protocol.md`, section 4.22.

import NIOCore

/// Moves the low watermark of partitions of one topic forward, deleting the records before it
/// (Kafka's DeleteRecords).
public struct DeleteRecordsRequest: AdminMessage, Hashable, Sendable {
    /// The DeleteRecords API.
    public static let apiKey = ApiKey.deleteRecords

    /// The topic name.
    public var topic: String
    /// The partitions and the offsets to delete before.
    public var partitions: [DeleteRecordsPartition]

    /// Creates the request.
    public init(topic: String, partitions: [DeleteRecordsPartition]) {
        self.topic = topic
        self.partitions = partitions
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        topic = try buffer.readWireString("topic")
        partitions = try buffer.readWireArray("partitions")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(topic)
        buffer.writeWireArray(partitions)
    }
}

/// One partition of a DeleteRecords request.
public struct DeleteRecordsPartition: Hashable, Sendable {
    /// The partition number.
    public var partition: Int32
    /// The new low watermark: records before it are deleted; -1 = the high watermark (all of them).
    public var offset: Int64

    /// Creates a partition entry.
    public init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
}

extension DeleteRecordsPartition: WireElement {
    static var minimumWireSize: Int { 4 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        partition = try buffer.readWireInteger("partition")
        offset = try buffer.readWireInteger("offset")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(partition)
        buffer.writeInteger(offset)
    }
}

/// What happened to each partition of a DeleteRecords request, in request order.
public struct DeleteRecordsResponse: AdminMessage, Hashable, Sendable {
    /// The DeleteRecords API.
    public static let apiKey = ApiKey.deleteRecords

    /// One result per requested partition.
    public var partitions: [DeleteRecordsResult]

    /// Creates the response.
    public init(partitions: [DeleteRecordsResult]) {
        self.partitions = partitions
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        partitions = try buffer.readWireArray("partitions")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireArray(partitions)
    }
}

/// One partition's result: its new low watermark, or why it failed.
public struct DeleteRecordsResult: Hashable, Sendable {
    /// The partition number.
    public var partition: Int32
    /// The partition's low watermark after the deletion; -1 when `errorCode` is not 0.
    public var lowWatermark: Int64
    /// 0 on success, else a code of section 5 (kept raw, like a response header's: a newer broker
    /// may send one this codec does not know).
    public var errorCode: Int16
    /// Empty on success; a sentence a person understands otherwise.
    public var errorMessage: String

    /// Creates a result.
    public init(partition: Int32, lowWatermark: Int64, errorCode: Int16 = 0, errorMessage: String = "") {
        self.partition = partition
        self.lowWatermark = lowWatermark
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// A failed partition: low watermark -1, the code and its sentence.
    public init(partition: Int32, error: AdminErrorCode, message: String) {
        self.init(partition: partition, lowWatermark: -1, errorCode: error.rawValue, errorMessage: message)
    }

    /// Whether this partition's records were deleted (or there was nothing to delete).
    public var isSuccess: Bool { errorCode == 0 }

    /// The error code as ``AdminErrorCode``, or nil for a code this codec does not know.
    public var knownErrorCode: AdminErrorCode? { AdminErrorCode(rawValue: errorCode) }
}

extension DeleteRecordsResult: WireElement {
    static var minimumWireSize: Int { 4 + 8 + 2 + 2 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        partition = try buffer.readWireInteger("partition")
        lowWatermark = try buffer.readWireInteger("lowWatermark")
        errorCode = try buffer.readWireInteger("errorCode")
        errorMessage = try buffer.readWireString("errorMessage")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(partition)
        buffer.writeInteger(lowWatermark)
        buffer.writeInteger(errorCode)
        buffer.writeWireString(errorMessage)
    }
}
