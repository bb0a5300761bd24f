/// Everything the admin protocol codec can reject. Decoding never traps and never returns a
/// partly decoded value: it either produces a complete value or throws one of these.
public enum AdminProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Bytes that do not follow the wire format. `reason` starts with the path of the field that
    /// failed (for example `ProduceRequest.records[3].key: …`) and says what was wrong.
    case malformed(reason: String)
    /// A frame whose length prefix is above the maximum frame size. The stream cannot be resynced:
    /// the connection must be closed.
    case frameTooLarge(size: Int, limit: Int)
    /// A request header naming an API key this codec does not know.
    case unknownApi(key: UInt16)
    /// A request for a known API at a version outside its supported range.
    case unsupportedVersion(apiKey: ApiKey, version: UInt16)

    /// The wire error code a broker answers this error with.
    public var errorCode: AdminErrorCode {
        switch self {
        case .malformed: .malformedRequest
        case .frameTooLarge: .frameTooLarge
        case .unknownApi: .unknownApi
        case .unsupportedVersion: .unsupportedVersion
        }
    }

    /// A sentence a person understands, suitable for a response's `errorMessage`.
    public var description: String {
        switch self {
        case .malformed(let reason):
            "malformed: \(reason)"
        case .frameTooLarge(let size, let limit):
            "a frame of \(size) bytes is larger than the maximum of \(limit) bytes"
        case .unknownApi(let key):
            "unknown API key \(key)"
        case .unsupportedVersion(let apiKey, let version):
            "\(apiKey.name) v\(version) is not supported (supported: v\(apiKey.supportedVersions.lowerBound)"
                + "…v\(apiKey.supportedVersions.upperBound))"
        }
    }

    /// Prefixes the field path of a `malformed` reason with `prefix`: `"records[3]"` and
    /// `"key: …"` give `"records[3].key: …"`; a reason without a field (`": …"`, from an array
    /// element or a whole body) gives `"records[3]: …"`. Other errors pass through. Error paths only.
    func nested(in prefix: String) -> AdminProtocolError {
        guard case .malformed(let reason) = self else { return self }
        let separator = reason.hasPrefix(":") ? "" : "."
        return .malformed(reason: prefix + separator + reason)
    }
}
