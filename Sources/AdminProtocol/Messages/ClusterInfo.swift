// ClusterInfo (key 1): `docs/admin-protocol.md`, section 4.2.

import NIOCore

/// Asks for the broker's identity, uptime, disk use and throughput. The body is empty.
public struct ClusterInfoRequest: AdminMessage, Hashable, Sendable {
    /// The ClusterInfo API.
    public static let apiKey = ApiKey.clusterInfo

    /// Creates the request.
    public init() {}

    /// Reads the (empty) body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {}

    /// Writes the (empty) body.
    public func encode(into buffer: inout ByteBuffer) {}
}

/// The broker's identity, uptime, disk use and throughput.
public struct ClusterInfoResponse: AdminMessage, Hashable, Sendable {
    /// The ClusterInfo API.
    public static let apiKey = ApiKey.clusterInfo

    /// The broker's id.
    public var brokerId: Int32
    /// The broker's version.
    public var brokerVersion: String
    /// When the broker started, in milliseconds since the epoch.
    public var startedAtMs: Int64
    /// How long the broker has been running, in milliseconds.
    public var uptimeMs: Int64
    /// The broker's data directory.
    public var dataDirectory: String
    /// Bytes in partition logs.
    public var dataSizeBytes: Int64
    /// The data directory's disk size in bytes; -1 = unknown.
    public var diskTotalBytes: Int64
    /// The data directory's free disk space in bytes; -1 = unknown.
    public var diskFreeBytes: Int64
    /// Open admin connections.
    public var connectionCount: Int32
    /// Topics, internal ones included.
    public var topicCount: Int32
    /// Partitions over all topics.
    public var partitionCount: Int32
    /// Consumer groups.
    public var groupCount: Int32
    /// Records produced since the broker started.
    public var producedRecords: Int64
    /// Records fetched since the broker started.
    public var fetchedRecords: Int64
    /// Records produced per second over the last ~10 s.
    public var produceRate: Double
    /// Records fetched per second over the last ~10 s.
    public var fetchRate: Double
    /// Where Kafka clients connect (`host:port` of the broker's Kafka listener), empty when it has
    /// none. Version 2 on (section 4.2).
    public var kafkaListener: String = ""

    /// The first version with ``kafkaListener``.
    public static let kafkaListenerVersion: UInt16 = 2

    /// Creates the response.
    public init(
        brokerId: Int32, brokerVersion: String, startedAtMs: Int64, uptimeMs: Int64, dataDirectory: String,
        dataSizeBytes: Int64, diskTotalBytes: Int64, diskFreeBytes: Int64, connectionCount: Int32,
        topicCount: Int32, partitionCount: Int32, groupCount: Int32, producedRecords: Int64,
        fetchedRecords: Int64, produceRate: Double, fetchRate: Double
    ) {
        self.brokerId = brokerId
        self.brokerVersion = brokerVersion
        self.startedAtMs = startedAtMs
        self.uptimeMs = uptimeMs
        self.dataDirectory = dataDirectory
        self.dataSizeBytes = dataSizeBytes
        self.diskTotalBytes = diskTotalBytes
        self.diskFreeBytes = diskFreeBytes
        self.connectionCount = connectionCount
        self.topicCount = topicCount
        self.partitionCount = partitionCount
        self.groupCount = groupCount
        self.producedRecords = producedRecords
        self.fetchedRecords = fetchedRecords
        self.produceRate = produceRate
        self.fetchRate = fetchRate
    }

    /// Reads a version 1 body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        try self.init(from: &buffer, version: 1)
    }

    /// Reads the body of `version`.
    public init(from buffer: inout ByteBuffer, version: UInt16) throws(AdminProtocolError) {
        brokerId = try buffer.readWireInteger("brokerId")
        brokerVersion = try buffer.readWireString("brokerVersion")
        startedAtMs = try buffer.readWireInteger("startedAtMs")
        uptimeMs = try buffer.readWireInteger("uptimeMs")
        dataDirectory = try buffer.readWireString("dataDirectory")
        dataSizeBytes = try buffer.readWireInteger("dataSizeBytes")
        diskTotalBytes = try buffer.readWireInteger("diskTotalBytes")
        diskFreeBytes = try buffer.readWireInteger("diskFreeBytes")
        connectionCount = try buffer.readWireInteger("connectionCount")
        topicCount = try buffer.readWireInteger("topicCount")
        partitionCount = try buffer.readWireInteger("partitionCount")
        groupCount = try buffer.readWireInteger("groupCount")
        producedRecords = try buffer.readWireInteger("producedRecords")
        fetchedRecords = try buffer.readWireInteger("fetchedRecords")
        produceRate = try buffer.readWireFloat64("produceRate")
        fetchRate = try buffer.readWireFloat64("fetchRate")
        if version >= Self.kafkaListenerVersion { kafkaListener = try buffer.readWireString("kafkaListener") }
    }

    /// Reads a whole body of `version` and checks that nothing follows it.
    static func decodeBody(_ body: inout ByteBuffer, version: UInt16) throws(AdminProtocolError) -> Self {
        let message = try Self(from: &body, version: version)
        guard body.readableBytes == 0 else {
            throw .malformed(reason: "ClusterInfo: \(body.readableBytes) bytes after the body")
        }
        return message
    }

    /// Writes the body of `version`.
    public func encode(into buffer: inout ByteBuffer, version: UInt16) {
        encode(into: &buffer)
        if version >= Self.kafkaListenerVersion { buffer.writeWireString(kafkaListener) }
    }

    /// Writes a version 1 body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(brokerId)
        buffer.writeWireString(brokerVersion)
        buffer.writeInteger(startedAtMs)
        buffer.writeInteger(uptimeMs)
        buffer.writeWireString(dataDirectory)
        buffer.writeInteger(dataSizeBytes)
        buffer.writeInteger(diskTotalBytes)
        buffer.writeInteger(diskFreeBytes)
        buffer.writeInteger(connectionCount)
        buffer.writeInteger(topicCount)
        buffer.writeInteger(partitionCount)
        buffer.writeInteger(groupCount)
        buffer.writeInteger(producedRecords)
        buffer.writeInteger(fetchedRecords)
        buffer.writeWireFloat64(produceRate)
        buffer.writeWireFloat64(fetchRate)
    }
}
