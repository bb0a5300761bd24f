import AdminProtocol

// The Kafka listener's files import KafkaProtocol, whose message names (RequestHeader,
// FetchRequest, …) are also the admin protocol's; they see the two admin types they need
// under these names instead of importing AdminProtocol.

/// What a Kafka connection's SASL user may do: the admin protocol's roles (`admin`, `read-only`).
typealias KafkaSessionRole = AdminRole

/// The frame decoder's error (a length prefix out of bounds), shared with the admin listener.
typealias AdminProtocolFrameError = AdminProtocolError
