import NIOCore
import Testing
@testable import Server

@Suite struct TCPFrameParserTests {
    /// Feeds `chunks` and returns the frames seen, messages as byte arrays, end as nil.
    private func frames(_ chunks: [[UInt8]]) -> (frames: [[UInt8]?], partial: Bool) {
        var parser = TCPFrameParser()
        var out: [[UInt8]?] = []
        for chunk in chunks {
            parser.append(ByteBuffer(bytes: chunk))
            while let frame = parser.next() {
                switch frame {
                case .message(let buffer): out.append(Array(buffer.readableBytesView))
                case .end: out.append(nil)
                }
            }
        }
        return (out, parser.hasPartialFrame)
    }

    @Test(arguments: [
        // one message in one chunk
        ([[0, 3, 1, 2, 3]], [[1, 2, 3]] as [[UInt8]?], false),
        // split inside the prefix and inside the body
        ([[0], [3, 1], [2, 3]], [[1, 2, 3]], false),
        // three pipelined messages in one chunk, in order
        ([[0, 1, 7, 0, 2, 8, 9, 0, 1, 10]], [[7], [8, 9], [10]], false),
        // a message, then a trailing partial prefix
        ([[0, 1, 7, 0]], [[7]], true),
        // a partial body
        ([[0, 5, 1, 2]], [], true),
        // a zero-length frame ends the stream; later bytes are ignored
        ([[0, 1, 7, 0, 0, 0, 1, 8]], [[7], nil], false),
        ([[0, 0], [0, 1, 8]], [nil], false),
    ] as [([[UInt8]], [[UInt8]?], Bool)])
    func splitsFrames(chunks: [[UInt8]], expected: [[UInt8]?], partial: Bool) {
        let result = frames(chunks)
        #expect(result.frames == expected)
        #expect(result.partial == partial)
    }

    @Test func largestMessageIs65535Octets() {
        let body = [UInt8](repeating: 0xAB, count: 65535)
        let result = frames([[0xFF, 0xFF] + body.prefix(30000), Array(body.dropFirst(30000))])
        #expect(result.frames.count == 1)
        #expect(result.frames.first??.count == 65535)
        #expect(!result.partial)
    }
}
