// libFuzzer entry point for the Kafka request decoder (scripts/fuzz builds it together with the
// KafkaProtocol sources). The input is one request frame without its size, as the Kafka listener
// hands it to the codec. Arbitrary bytes must decode or throw KafkaCodecError; a trap, a sanitizer
// report, or a decoded request that does not re-encode to bytes that decode and re-encode the
// same, is a bug. The seeds are frames captured from real clients (Fuzz/corpus/KafkaRequestFuzzer).

import NIOCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    guard let (header, body) = try? KafkaRequestFrame.decode(payload) else { return 0 }
    guard let encoded = try? KafkaRequestFrame.encode(header: header, body: body) else {
        // A decoded value always re-encodes in the version it was read in.
        fatalError("a decoded \(type(of: body)) v\(header.requestApiVersion) does not re-encode")
    }
    guard let (header2, body2) = try? KafkaRequestFrame.decode(encoded),
        let again = try? KafkaRequestFrame.encode(header: header2, body: body2)
    else { fatalError("a re-encoded \(type(of: body)) does not decode") }
    precondition(again == encoded, "a \(type(of: body)) changes when re-encoded twice")
    return 0
}
