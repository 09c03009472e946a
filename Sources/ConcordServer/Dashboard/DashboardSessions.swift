import Foundation
import Synchronization

/// Signed-in dashboard sessions, in memory: the cookie holds a random token, never the API key, and a session
/// ends after `lifetime`, on sign-out, or when its key stops being valid (the controller asks the verifier about the
/// session's key digest on every page, so a revoked key's sessions end with it). A restart signs everyone out, which
/// is acceptable for a dashboard. At most `maximumSessions` are kept: past that, the oldest ends.
final class DashboardSessions: Sendable {
    struct Session: Sendable {
        /// SHA-256 of the key signed in with (`APIKeyHash.sha256`), as the key store keeps it.
        var keyDigest: [UInt8]
        var expires: Date
    }

    static let cookieName = "concord_session"
    let lifetime: TimeInterval
    let maximumSessions: Int
    private let sessions = Mutex<[String: Session]>([:])

    init(lifetime: TimeInterval = 12 * 3600, maximumSessions: Int = 10_000) {
        self.lifetime = lifetime
        self.maximumSessions = max(1, maximumSessions)
    }

    /// Starts a session and returns its token: 32 random bytes in hex.
    func start(keyDigest: [UInt8], now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<4).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
        sessions.withLock { sessions in
            if sessions.count >= maximumSessions {
                sessions = sessions.filter { $0.value.expires > now }
            }
            if sessions.count >= maximumSessions {
                if let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) { sessions[oldest.key] = nil }
            }
            sessions[token] = Session(keyDigest: keyDigest, expires: now.addingTimeInterval(lifetime))
        }
        return token
    }

    /// The digest of the key a live session was signed in with.
    func keyDigest(for token: String, now: Date = Date()) -> [UInt8]? {
        sessions.withLock { sessions in
            guard let session = sessions[token] else { return nil }
            guard session.expires > now else {
                sessions[token] = nil
                return nil
            }
            return session.keyDigest
        }
    }

    var count: Int { sessions.withLock { $0.count } }

    func end(_ token: String) {
        _ = sessions.withLock { $0.removeValue(forKey: token) }
    }
}
