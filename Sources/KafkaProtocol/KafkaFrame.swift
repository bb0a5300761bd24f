import NIOCore

/// Which header versions an API version uses (Kafka's `ApiKeys.requestHeaderVersion` and
/// `responseHeaderVersion`): the flexible versions use the flexible headers, except that
/// ApiVersions' response always has header v0 (a client must be able to read it before it knows
/// what the broker supports).
public enum KafkaHeaders {
    /// The request header version of `apiKey` at `apiVersion`.
    public static func requestHeaderVersion(apiKey: Int16, apiVersion: Int16) -> Int16 {
        guard let api = KafkaApiKey(rawValue: apiKey), let flexible = api.firstFlexibleVersion else { return 1 }
        return apiVersion >= flexible ? 2 : 1
    }

    /// The response header version of `apiKey` at `apiVersion`.
    public static func responseHeaderVersion(apiKey: Int16, apiVersion: Int16) -> Int16 {
        guard let api = KafkaApiKey(rawValue: apiKey), api != .apiVersions, let flexible = api.firstFlexibleVersion
        else { return 0 }
        return apiVersion >= flexible ? 1 : 0
    }
}

/// Reading a whole request frame (the bytes after the 4-byte size): the header in the version
/// its API and version call for, then the body.
public enum KafkaRequestFrame {
    /// The API key, version and correlation id at the start of `payload`, without consuming it.
    public static func peek(_ payload: ByteBuffer) -> (apiKey: Int16, apiVersion: Int16, correlationId: Int32)? {
        guard let key = payload.getInteger(at: payload.readerIndex, as: Int16.self),
            let version = payload.getInteger(at: payload.readerIndex + 2, as: Int16.self),
            let correlation = payload.getInteger(at: payload.readerIndex + 4, as: Int32.self)
        else { return nil }
        return (key, version, correlation)
    }

    /// Reads the header, advancing `payload` to the body.
    public static func readHeader(_ payload: inout ByteBuffer) throws(KafkaCodecError) -> RequestHeader {
        guard let (key, version, _) = peek(payload) else {
            throw KafkaCodecError("a frame too short for a request header")
        }
        return try RequestHeader(
            from: &payload, version: KafkaHeaders.requestHeaderVersion(apiKey: key, apiVersion: version))
    }

    /// Reads a whole request of any API the codec has: its header and body. Bytes left after the
    /// body are an error (Kafka's parser refuses them too).
    public static func decode(_ payload: ByteBuffer) throws(KafkaCodecError) -> (RequestHeader, any KafkaRequest) {
        var buffer = payload
        let header = try readHeader(&buffer)
        guard let type = kafkaRequestTypes[header.requestApiKey] else {
            throw KafkaCodecError("API key \(header.requestApiKey) is not one the codec has")
        }
        guard type.validVersions.contains(header.requestApiVersion) else {
            throw KafkaCodecError("\(type) has no version \(header.requestApiVersion)")
        }
        let body = try type.init(from: &buffer, version: header.requestApiVersion)
        guard buffer.readableBytes == 0 else {
            throw KafkaCodecError("\(buffer.readableBytes) bytes left after \(type) v\(header.requestApiVersion)")
        }
        return (header, body)
    }

    /// Writes a request frame's payload (no size prefix): the header, then the body.
    public static func encode(header: RequestHeader, body: any KafkaRequest) throws(KafkaCodecError) -> ByteBuffer {
        var out = ByteBuffer()
        try header.write(
            into: &out,
            version: KafkaHeaders.requestHeaderVersion(
                apiKey: header.requestApiKey, apiVersion: header.requestApiVersion))
        try body.write(into: &out, version: header.requestApiVersion)
        return out
    }
}
