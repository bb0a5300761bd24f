// ApiVersions (key 0), the handshake: `docs/admin-protocol.md`, section 4.1.

import NIOCore

/// The first request on every connection: who the client is.
public struct ApiVersionsRequest: AdminMessage, Hashable, Sendable {
    /// The ApiVersions API.
    public static let apiKey = ApiKey.apiVersions

    /// The client program, e.g. `"skiff-cli"`.
    public var clientName: String
    /// The client's version, e.g. `"0.1.0"`.
    public var clientVersion: String
    /// The connection's token when the broker requires one (section 4.1); nil = none.
    public var authToken: String?

    /// Creates the handshake request.
    public init(clientName: String, clientVersion: String, authToken: String? = nil) {
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.authToken = authToken
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        clientName = try buffer.readWireString("clientName")
        clientVersion = try buffer.readWireString("clientVersion")
        authToken = try buffer.readWireOptional("authToken")
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(clientName)
        buffer.writeWireString(clientVersion)
        buffer.writeWireOptional(authToken)
    }
}

/// The broker's answer to the handshake: its version, frame limit and supported APIs.
public struct ApiVersionsResponse: AdminMessage, Hashable, Sendable {
    /// The ApiVersions API.
    public static let apiKey = ApiKey.apiVersions

    /// The broker's version.
    public var brokerVersion: String
    /// The largest frame length the broker accepts and sends.
    public var maxFrameBytes: UInt32
    /// The version range the broker supports for each API it knows.
    public var apis: [ApiVersionRange]
    /// What the connection may do: ``AdminRole/admin`` unless its token is a read-only one.
    public var role: AdminRole

    /// Creates the handshake response.
    public init(brokerVersion: String, maxFrameBytes: UInt32, apis: [ApiVersionRange], role: AdminRole = .admin) {
        self.brokerVersion = brokerVersion
        self.maxFrameBytes = maxFrameBytes
        self.apis = apis
        self.role = role
    }

    /// Reads the body.
    public init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        brokerVersion = try buffer.readWireString("brokerVersion")
        maxFrameBytes = try buffer.readWireInteger("maxFrameBytes")
        apis = try buffer.readWireArray("apis")
        let rawRole: UInt8 = try buffer.readWireInteger("role")
        guard let role = AdminRole(rawValue: rawRole) else {
            throw .malformed(reason: "role: \(rawRole) is not 0 (admin) or 1 (read-only)")
        }
        self.role = role
    }

    /// Writes the body.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(brokerVersion)
        buffer.writeInteger(maxFrameBytes)
        buffer.writeWireArray(apis)
        buffer.writeInteger(role.rawValue)
    }
}

/// What a connection may do, decided by the token it sent in the handshake (section 4.1).
public enum AdminRole: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Everything; also every connection of a broker without authentication.
    case admin = 0
    /// Reads only: every API that changes topics, records, offsets or group membership is
    /// refused with `CLUSTER_AUTHORIZATION_FAILED`.
    case readOnly = 1

    /// `"admin"` or `"read-only"`, as in a token file.
    public var description: String {
        switch self {
        case .admin: "admin"
        case .readOnly: "read-only"
        }
    }
}

/// The versions of one API that a broker supports.
public struct ApiVersionRange: Hashable, Sendable {
    /// The API key, raw: a broker may list APIs this client does not know.
    public var apiKey: UInt16
    /// The oldest supported version.
    public var minVersion: UInt16
    /// The newest supported version.
    public var maxVersion: UInt16

    /// Creates a version range.
    public init(apiKey: UInt16, minVersion: UInt16, maxVersion: UInt16) {
        self.apiKey = apiKey
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

extension ApiVersionRange: WireElement {
    static var minimumWireSize: Int { 2 + 2 + 2 }

    init(from buffer: inout ByteBuffer) throws(AdminProtocolError) {
        apiKey = try buffer.readWireInteger("apiKey")
        minVersion = try buffer.readWireInteger("minVersion")
        maxVersion = try buffer.readWireInteger("maxVersion")
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(apiKey)
        buffer.writeInteger(minVersion)
        buffer.writeInteger(maxVersion)
    }
}

extension ApiKey {
    /// What this codec supports, one entry per API: the body of a broker's ``ApiVersionsResponse``.
    public static var supportedRanges: [ApiVersionRange] {
        allCases.map {
            ApiVersionRange(
                apiKey: $0.rawValue,
                minVersion: $0.supportedVersions.lowerBound,
                maxVersion: $0.supportedVersions.upperBound
            )
        }
    }
}
