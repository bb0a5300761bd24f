import AdminProtocol
import NIOCore
import Testing

/// Random and mutated payloads fed to every decoder with a seeded RNG: each must return a valid value
/// or throw an AdminProtocolError, never crash. A decoded value must re-encode to bytes that decode to
/// the same bytes again.
struct FuzzTests {
    static let corpus: [[UInt8]] = {
        let requests = Samples.requests.filter { bodyBytes($0).count < 2048 }.map {
            payload(ofFrame: requestFrame($0)).bytes
        }
        let responses = Samples.responses.filter { bodyBytes($0).count < 2048 }.map {
            payload(ofFrame: responseFrame($0)).bytes
        }
        let pushes = Samples.events.map { payload(ofFrame: AdminFrame.encodePush(subscriptionId: 9, event: $0)).bytes }
        return requests + responses + pushes
    }()

    static let interesting: [[UInt8]] = [
        [0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF], [0x80, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x00],
        [0xFF, 0xFF], [0x00, 0x01], [0x02], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
    ]

    static func mutate(_ random: inout SeededRandom) -> [UInt8] {
        var bytes = corpus.randomElement(using: &random)!
        switch Int.random(in: 0..<7, using: &random) {
        case 0:  // random bytes
            return (0..<Int.random(in: 0...96, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 1:  // bit flips
            for _ in 0..<Int.random(in: 1...8, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
            }
            return bytes
        case 2:  // truncation
            return Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case 3:  // splice of two valid payloads
            let other = corpus.randomElement(using: &random)!
            return Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                + Array(other.suffix(Int.random(in: 0...other.count, using: &random)))
        case 4:  // an interesting value written over a random position
            let value = interesting.randomElement(using: &random)!
            let index = Int.random(in: 0...bytes.count, using: &random)
            bytes.replaceSubrange(index..<min(bytes.count, index + value.count), with: value)
            return bytes
        case 5:  // insertion or deletion of a byte
            let index = Int.random(in: 0...bytes.count, using: &random)
            if index < bytes.count, Bool.random(using: &random) {
                bytes.remove(at: index)
            } else {
                bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
            }
            return bytes
        default:  // the header kept, the body random
            let keep = min(bytes.count, 9)
            return Array(bytes.prefix(keep))
                + (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
    }

    /// Runs a decoder whose only possible error is an AdminProtocolError (the signature proves it).
    static func attempt<T>(_ decode: () throws(AdminProtocolError) -> T) -> T? {
        do {
            return try decode()
        } catch {
            return nil
        }
    }

    /// Thousands of mutated request payloads: each decodes to a value that re-encodes stably, or throws.
    @Test(arguments: [UInt64(11), 12, 13])
    func requests(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var decodedCount = 0
        for _ in 0..<4000 {
            var payload = buffer(Self.mutate(&random))
            guard
                let (header, request) = Self.attempt({ () throws(AdminProtocolError) in
                    try AdminFrame.decodeRequest(payload: &payload)
                })
            else { continue }
            decodedCount += 1
            let once = bodyBytes(request)
            var again = buffer(once)
            let v1 = RequestHeader(apiKey: header.apiKey, apiVersion: 1, correlationId: 0)
            #expect(try bodyBytes(AdminRequest.decode(header: v1, body: &again)) == once)
        }
        #expect(decodedCount > 0)
    }

    /// Thousands of mutated payloads decoded as responses of a random API and as pushes: values or typed errors.
    @Test(arguments: [UInt64(21), 22, 23])
    func responsesAndPushes(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var decodedCount = 0
        for _ in 0..<4000 {
            let bytes = Self.mutate(&random)
            let api = ApiKey.allCases.randomElement(using: &random)!
            var response = buffer(bytes)
            if let (_, body) = Self.attempt({ () throws(AdminProtocolError) in
                try AdminFrame.decodeResponse(payload: &response, expecting: api)
            }) {
                decodedCount += 1
                if let body {
                    let once = bodyBytes(body)
                    var again = buffer(once)
                    #expect(try bodyBytes(AdminResponse.decode(apiKey: api, body: &again)) == once)
                }
            }
            var push = buffer(bytes)
            if let (id, event) = Self.attempt({ () throws(AdminProtocolError) in
                try AdminFrame.decodePush(payload: &push)
            }) {
                decodedCount += 1
                var again = payload(ofFrame: AdminFrame.encodePush(subscriptionId: id, event: event))
                #expect(try AdminFrame.decodePush(payload: &again).event == event)
            }
        }
        #expect(decodedCount > 0)
    }

    /// Streams of valid and mutated frames, cut into random chunks: the frame decoder returns frames or a typed error.
    @Test(arguments: [UInt64(31), 32, 33, 34])
    func frameStreams(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<300 {
            var stream: [UInt8] = []
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let body = Self.mutate(&random)
                var length = UInt32(body.count)
                if Int.random(in: 0..<10, using: &random) == 0 {
                    length = UInt32.random(in: 0...UInt32.max, using: &random)
                }
                stream += be(length) + body
            }
            if Bool.random(using: &random), !stream.isEmpty {
                stream[Int.random(in: 0..<stream.count, using: &random)] ^= 0xFF
            }
            var decoder = AdminFrameDecoder(maxFrameBytes: 4096)
            var offset = 0
            while offset < stream.count {
                let size = min(Int.random(in: 1...50, using: &random), stream.count - offset)
                let chunk = buffer(Array(stream[offset..<offset + size]))
                guard let frames = Self.attempt({ () throws(AdminProtocolError) in try decoder.feed(chunk) }) else {
                    break
                }
                for var frame in frames {
                    #expect(frame.readableBytes >= AdminFrame.minimumLength && frame.readableBytes <= 4096)
                    _ = Self.attempt { () throws(AdminProtocolError) in try AdminFrame.decodeRequest(payload: &frame) }
                }
                offset += size
            }
        }
    }
}
