// DescribeStorage (key 22): `docs/admin-protocol.md`, section 4.23.

import NIOCore

/// Asks for the state of the broker's storage: what it found wrong at start or since (stray
/// directories moved aside, rewritten metadata, damaged data, …), the open segment files against
/// their limit, and the disk reserve. The body is empty.
public struct DescribeStorageRequest: AdminMessage, Hashable, Sendable {
    /// The DescribeStorage API.
    public static let apiKey = ApiKey.describeStorage

    /// Creates the request.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}

/// One thing the storage found wrong and what it did about it.
public struct StorageNoticeInfo: Hashable, Sendable {
    /// What happened: `stray-directory`, `leftover-removed`, `metadata-rewritten`,
    /// `checkpoint-ignored`, `tail-cut`, `damaged-data`, `reserve-released`, `metadata-rebuilt`
    /// (later brokers may add kinds).
    public var kind: String
    /// The file or directory concerned, relative to the data directory.
    public var path: String
    /// A sentence saying what was found and done.
    public var message: String
    /// When, milliseconds since the epoch.
    public var timeMs: Int64

    /// Creates a notice.
    public init(kind: String, path: String, message: String, timeMs: Int64) {
        self.kind = kind
        self.path = path
        self.message = message
        self.timeMs = timeMs
    }
}

extension StorageNoticeInfo: WireElement {
    static var minimumWireSize: Int { 2 + 2 + 2 + 8 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        kind = try buffer.readWireString("kind")
        path = try buffer.readWireString("path")
        message = try buffer.readWireString("message")
        timeMs = try buffer.readWireInteger("timeMs")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(kind)
        buffer.writeWireString(path)
        buffer.writeWireString(message)
        buffer.writeInteger(timeMs)
    }
}

/// The state of the broker's storage.
public struct DescribeStorageResponse: AdminMessage, Hashable, Sendable {
    /// The DescribeStorage API.
    public static let apiKey = ApiKey.describeStorage

    /// Segment `.log` files open now.
    public var openSegmentFiles: Int32
    /// The most segment files the broker keeps open (older ones are closed first).
    public var segmentFileLimit: Int32
    /// The process's open-file limit; -1 = unknown.
    public var openFileLimit: Int32
    /// Segment files opened since the broker started.
    public var segmentFileOpens: Int64
    /// Segment files closed to make room since the broker started.
    public var segmentFileEvictions: Int64
    /// Bytes reserved so topic and record deletes work on a full disk; 0 = no reserve.
    public var diskReserveBytes: Int64
    /// Whether the reserve is in place (false once used, until the disk has room again).
    public var diskReserveHeld: Bool
    /// What the storage found wrong and did, oldest first (at most the last 1,000).
    public var notices: [StorageNoticeInfo]

    /// Creates the response.
    public init(
        openSegmentFiles: Int32, segmentFileLimit: Int32, openFileLimit: Int32, segmentFileOpens: Int64,
        segmentFileEvictions: Int64, diskReserveBytes: Int64, diskReserveHeld: Bool, notices: [StorageNoticeInfo]
    ) {
        self.openSegmentFiles = openSegmentFiles
        self.segmentFileLimit = segmentFileLimit
        self.openFileLimit = openFileLimit
        self.segmentFileOpens = segmentFileOpens
        self.segmentFileEvictions = segmentFileEvictions
        self.diskReserveBytes = diskReserveBytes
        self.diskReserveHeld = diskReserveHeld
        self.notices = notices
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        openSegmentFiles = try buffer.readWireInteger("openSegmentFiles")
        segmentFileLimit = try buffer.readWireInteger("segmentFileLimit")
        openFileLimit = try buffer.readWireInteger("openFileLimit")
        segmentFileOpens = try buffer.readWireInteger("segmentFileOpens")
        segmentFileEvictions = try buffer.readWireInteger("segmentFileEvictions")
        diskReserveBytes = try buffer.readWireInteger("diskReserveBytes")
        diskReserveHeld = try buffer.readWireBool("diskReserveHeld")
        notices = try buffer.readWireArray("notices")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(openSegmentFiles)
        buffer.writeInteger(segmentFileLimit)
        buffer.writeInteger(openFileLimit)
        buffer.writeInteger(segmentFileOpens)
        buffer.writeInteger(segmentFileEvictions)
        buffer.writeInteger(diskReserveBytes)
        buffer.writeWireBool(diskReserveHeld)
        buffer.writeWireArray(notices)
    }
}
