public import ConcordCore
import Foundation
public import HTTPTypes
public import Hummingbird

/// The request headers that place a call in a trace and name its caller, and the response headers that
/// tell the caller the ids it got.
///
/// In: `traceparent` (W3C) or `X-Trace-Id`, `X-Parent-Call-Id`, `X-Caller-Type`, `X-Caller-Name`.
/// Out: `X-Call-Id`, `X-Trace-Id`, and a `traceparent` whose span id is the call's.
public enum CallHeaders {
    static let traceID = HTTPField.Name("X-Trace-Id")!
    static let callID = HTTPField.Name("X-Call-Id")!
    static let parentCallID = HTTPField.Name("X-Parent-Call-Id")!
    static let callerType = HTTPField.Name("X-Caller-Type")!
    static let callerName = HTTPField.Name("X-Caller-Name")!
    static let traceparent = HTTPField.Name("traceparent")!

    /// The call context for a request. A malformed `traceparent` starts a new trace; an unknown
    /// `X-Caller-Type` is the caller's error.
    public static func context(
        from headers: HTTPFields,
        caller: AuthenticatedCaller,
        routePath: String
    ) throws(GatewayError) -> CallContext {
        var context = CallContext(callerType: .api, callerName: routePath, userID: caller.userID)
        if let header = headers[traceparent], let trace = traceID(fromTraceparent: header) {
            context.traceID = trace
        } else if let header = headers[traceID], isSafeIdentifier(header) {
            context.traceID = header
        }
        if let parent = headers[parentCallID] {
            guard isSafeIdentifier(parent) else {
                throw .invalidField(
                    "X-Parent-Call-Id",
                    "Header 'X-Parent-Call-Id' must be a call id (letters, digits, '-', '_', '.'; at most 128).")
            }
            context.parentCallID = parent
        }
        if let type = headers[callerType] {
            guard let parsed = CallContext.CallerType(rawValue: type.lowercased()) else {
                throw .invalidField("X-Caller-Type", "Header 'X-Caller-Type' must be one of agent, api, workflow.")
            }
            context.callerType = parsed
        }
        if let name = headers[callerName], !name.isEmpty {
            context.callerName = String(name.prefix(200))
        }
        return context
    }

    public static func responseHeaders(callID id: String, traceID trace: String) -> HTTPFields {
        var fields: HTTPFields = [callID: id, traceID: trace]
        if trace.utf8.count == 32, trace.utf8.allSatisfy(isLowerHex) {
            // The span id: the call id's first 16 hex digits (a plain loop: this runs for every call).
            var span: [UInt8] = []
            span.reserveCapacity(16)
            for byte in id.utf8 where byte != UInt8(ascii: "-") {
                span.append(byte)
                if span.count == 16 { break }
            }
            if span.count == 16, span.allSatisfy(isLowerHex) {
                fields[traceparent] = "00-\(trace)-\(String(decoding: span, as: UTF8.self))-01"
            }
        }
        return fields
    }

    /// The trace id of a valid W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), else `nil`.
    static func traceID(fromTraceparent header: String) -> String? {
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4,
            parts[0].utf8.count == 2, parts[0] != "ff", parts[0].utf8.allSatisfy(isLowerHex),
            parts[1].utf8.count == 32, parts[1].utf8.allSatisfy(isLowerHex),
            parts[2].utf8.count == 16, parts[2].utf8.allSatisfy(isLowerHex),
            parts[3].utf8.count == 2, parts[3].utf8.allSatisfy(isLowerHex),
            parts[1].utf8.contains(where: { $0 != UInt8(ascii: "0") }),
            parts[2].utf8.contains(where: { $0 != UInt8(ascii: "0") })
        else { return nil }
        if parts[0] == "00", parts.count != 4 { return nil }
        return String(parts[1])
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func isSafeIdentifier(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 128
            && value.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            }
    }
}
