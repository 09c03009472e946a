import ConcordServer
import Logging
import Synchronization
import Testing

@Suite("The process's log lines")
struct LineLogHandlerTests {
    final class Lines: Sendable {
        let captured = Mutex<[String]>([])
        var all: [String] { captured.withLock { $0 } }
    }

    @Test("a line reads time, level, label, metadata sorted by key, source and message — StreamLogHandler's layout")
    func layout() throws {
        let lines = Lines()
        var logger = Logger(label: "concord") { label in
            LineLogHandler(label: label) { line in lines.captured.withLock { $0.append(line) } }
        }
        logger[metadataKey: "hb.request.id"] = "r1"
        logger[metadataKey: "call.id"] = "c1"
        logger.debug("not at info level")
        logger.info("served", metadata: ["call.id": "c2", "status": "200"], source: "ConcordServer")
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.hasSuffix(" info concord: call.id=c2 hb.request.id=r1 status=200 [ConcordServer] served\n"))
        // 2026-11-27T17:20:08+0000
        let stamp = line.prefix { $0 != " " }
        #expect(stamp.count == 24 && stamp.dropFirst(4).first == "-" && stamp.dropFirst(10).first == "T")
    }

    @Test("an error's message and type are printed with the line")
    func error() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk full" } }
        let lines = Lines()
        let logger = Logger(label: "w") { label in
            LineLogHandler(label: label) { line in lines.captured.withLock { $0.append(line) } }
        }
        logger.error("write failed", error: Broken(), source: "ConcordStore")
        let line = try #require(lines.all.first)
        #expect(line.contains(" error w: error.message=disk full error.type="))
        #expect(line.hasSuffix("Broken [ConcordStore] write failed\n"))
    }
}
