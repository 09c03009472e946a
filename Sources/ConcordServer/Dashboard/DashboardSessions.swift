import Foundation
import Synchronization

/// Signed-in dashboard sessions, in memory: the cookie holds a random token, never the API key, and a session
/// ends after `lifetime` or on sign-out. A restart signs everyone out, which is acceptable for a dashboard.
final class DashboardSessions: Sendable {
    struct Session: Sendable {
        var caller: AuthenticatedCaller
        var expires: Date
    }

    static let cookieName = "concord_session"
    let lifetime: TimeInterval
    private let sessions = Mutex<[String: Session]>([:])

    init(lifetime: TimeInterval = 12 * 3600) {
        self.lifetime = lifetime
    }

    /// Starts a session and returns its token: 32 random bytes in hex.
    func start(for caller: AuthenticatedCaller, now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            sessions[token] = Session(caller: caller, expires: now.addingTimeInterval(lifetime))
        }
        return token
    }

    func caller(for token: String, now: Date = Date()) -> AuthenticatedCaller? {
        sessions.withLock { sessions in
            guard let session = sessions[token] else { return nil }
            guard session.expires > now else {
                sessions[token] = nil
                return nil
            }
            return session.caller
        }
    }

    func end(_ token: String) {
        _ = sessions.withLock { $0.removeValue(forKey: token) }
    }
}
