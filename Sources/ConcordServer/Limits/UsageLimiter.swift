public import ConcordCore
public import ConcordGateway
public import ConcordStore
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// Budgets and rate limits per user and per key, checked by the gateway before each call reaches its provider.
///
/// A user's usage is what the call log says plus what this replica has let through that the log does not show
/// yet: `run()` re-reads the log every `refreshInterval` (one grouped query over the `user_id, created_at` index),
/// and a call this replica admitted counts from memory until the log is seen to hold it. So one replica counts its
/// own calls at once and exactly; replicas sharing one database see each other's calls within `refreshInterval`.
/// A key's usage is counted in memory only (the call log records users, not keys), per replica.
///
/// Admission checks what is already used: a call's tokens are known after it, so the call that crosses a token
/// budget completes, and the next one is refused.
public final class UsageLimiter: CallAdmission, Service {
    struct Pending {
        var admitted: UsageWindows
        var usage: WindowUsage
        var recorded = false
        var admittedAt: Double
    }

    struct LocalUsage {
        var windows: UsageWindows
        var usage = WindowUsage()

        mutating func add(_ call: WindowUsage, admitted: UsageWindows, now: UsageWindows) {
            if now != windows {
                var rolled = WindowUsage()
                rolled.add(usage, counted: windows, current: now)
                usage = rolled
                windows = now
            }
            usage.add(call, counted: admitted, current: windows)
        }

        func current(in now: UsageWindows) -> WindowUsage {
            var result = WindowUsage()
            result.add(usage, counted: windows, current: now)
            return result
        }
    }

    struct State {
        var stored: [LimitScope: [String: UsageLimits]] = [:]
        /// The call log's answer per user, and the windows it was counted in.
        var logged: [String: (windows: UsageWindows, usage: WindowUsage)] = [:]
        /// Users whose usage this replica follows (they have limits and have called).
        var followed: Set<String> = []
        /// Admitted calls the call log has not been seen to hold, by user, then call id.
        var pending: [String: [String: Pending]] = [:]
        var keys: [String: LocalUsage] = [:]

        func usage(ofUser user: String, in now: UsageWindows) -> WindowUsage {
            var usage = WindowUsage()
            if let logged = logged[user] { usage.add(logged.usage, counted: logged.windows, current: now) }
            for call in (pending[user] ?? [:]).values { usage.add(call.usage, counted: call.admitted, current: now) }
            return usage
        }
    }

    private let store: SQLStore
    private let policy: LimitPolicy
    private let refreshInterval: Duration
    private let logger: Logger
    private let state = Mutex(State())

    public init(
        store: SQLStore,
        policy: LimitPolicy,
        refreshInterval: Duration = .seconds(2),
        logger: Logger = Logger(label: "concord.limits")
    ) {
        self.store = store
        self.policy = policy
        self.refreshInterval = refreshInterval
        self.logger = logger
    }

    /// The limits that apply to a user and to a key: the admin API's, else the configuration file's.
    public func limits(user: String?, key: String?) -> (user: UsageLimits?, key: UsageLimits?) {
        let stored = state.withLock { $0.stored }
        let userLimits = user.flatMap { stored[.user]?[$0] ?? policy.users[$0] ?? policy.defaultUser }
        let keyLimits = key.flatMap { stored[.key]?[$0] ?? policy.keys[$0] }
        return (userLimits.flatMap { $0.isUnlimited ? nil : $0 }, keyLimits.flatMap { $0.isUnlimited ? nil : $0 })
    }

    public var configured: LimitPolicy { policy }

    /// What a user has used in the current windows, as this replica counts it.
    public func usage(ofUser user: String) -> WindowUsage {
        let now = UsageWindows.containing(Date().timeIntervalSince1970)
        return state.withLock { $0.usage(ofUser: user, in: now) }
    }

    /// Applies a change made through the admin API at once (other replicas pick it up on their next refresh).
    public func setStored(_ limits: UsageLimits?, scope: LimitScope, subject: String) {
        state.withLock { $0.stored[scope, default: [:]][subject] = limits }
    }

    public func admit(callID: String, model: String, context: CallContext) async throws -> AdmissionTicket? {
        let userID = context.userID
        let keyID = AuthenticatedCaller.current?.keyID
        let (userLimits, keyLimits) = limits(user: userID, key: keyID)
        guard userLimits != nil || keyLimits != nil else { return nil }
        let limitedUser = userLimits == nil ? nil : userID
        let limitedKey = keyLimits == nil ? nil : keyID
        if let user = limitedUser, !state.withLock({ $0.followed.contains(user) }) {
            await follow([user])
        }
        let seconds = Date().timeIntervalSince1970
        let now = UsageWindows.containing(seconds)
        let refusal = state.withLock { state -> GatewayError? in
            if let user = limitedUser, let limits = userLimits,
                let refusal = LimitCheck.refusal(
                    usage: state.usage(ofUser: user, in: now), limits: limits, subject: "user '\(user)'", windows: now,
                    now: seconds
                )
            {
                return refusal
            }
            if let key = limitedKey, let limits = keyLimits,
                let refusal = LimitCheck.refusal(
                    usage: state.keys[key]?.current(in: now) ?? WindowUsage(), limits: limits, subject: "key '\(key)'",
                    windows: now, now: seconds
                )
            {
                return refusal
            }
            let request = WindowUsage.call(requests: 1, tokens: 0, usd: 0)
            if let user = limitedUser {
                state.pending[user, default: [:]][callID] = Pending(admitted: now, usage: request, admittedAt: seconds)
            }
            if let key = limitedKey {
                state.keys[key, default: LocalUsage(windows: now)].add(request, admitted: now, now: now)
            }
            return nil
        }
        if let refusal {
            logger.info(
                "call refused by a limit",
                metadata: ["user_id": "\(userID ?? "")", "key_id": "\(keyID ?? "")", "call_id": "\(callID)"]
            )
            throw refusal
        }
        return AdmissionTicket { [weak self] record in
            self?.recorded(record, callID: callID, user: limitedUser, key: limitedKey, admitted: now)
        }
    }

    private func recorded(_ record: CallRecord, callID: String, user: String?, key: String?, admitted: UsageWindows) {
        let spent = WindowUsage.call(requests: 0, tokens: record.totalTokens, usd: record.costUSD ?? 0)
        let now = UsageWindows.containing(Date().timeIntervalSince1970)
        state.withLock { state in
            if let user, var call = state.pending[user]?[callID] {
                call.usage.add(spent, counted: admitted, current: admitted)
                call.recorded = true
                state.pending[user]?[callID] = call
            }
            if let key {
                state.keys[key, default: LocalUsage(windows: now)].add(spent, admitted: admitted, now: now)
            }
        }
    }

    /// Reads these users' usage from the call log and follows them from now on.
    private func follow(_ users: [String]) async {
        let windows = UsageWindows.containing(Date().timeIntervalSince1970)
        let usage = try? await store.usage(ofUsers: users, windows: windows)
        state.withLock { state in
            for user in users {
                state.followed.insert(user)
                if let usage { state.logged[user] = (windows, usage[user] ?? WindowUsage()) }
            }
        }
    }

    /// One refresh: stored limits, which admitted calls the log now holds, then followed users' usage.
    ///
    /// The ids are checked before usage is summed, so a call written in between is counted twice until the next
    /// refresh (a refusal a moment early) rather than not at all (a budget overrun).
    public func refresh() async {
        do {
            let rows = try await store.storedLimits()
            var stored: [LimitScope: [String: UsageLimits]] = [:]
            for row in rows { stored[row.scope, default: [:]][row.subject] = row.limits }
            state.withLock { $0.stored = stored }
        } catch {
            logger.debug("could not read stored limits", metadata: ["error": "\(type(of: error))"])
        }
        let (users, recorded) = state.withLock { state in
            (Array(state.followed), state.pending.values.flatMap { $0.filter(\.value.recorded).keys })
        }
        guard !users.isEmpty else { return }
        do {
            let written = try await store.existingCallIDs(recorded)
            let seconds = Date().timeIntervalSince1970
            let windows = UsageWindows.containing(seconds)
            let usage = try await store.usage(ofUsers: users, windows: windows)
            state.withLock { state in
                for user in users { state.logged[user] = (windows, usage[user] ?? WindowUsage()) }
                for user in Array(state.pending.keys) {
                    // Written calls are in the log's count now; recorded ones unseen for an hour are given up on.
                    state.pending[user] = state.pending[user]?.filter { id, call in
                        !written.contains(id) && !(call.recorded && call.admittedAt < seconds - 3600)
                    }
                    if state.pending[user]?.isEmpty == true { state.pending[user] = nil }
                }
            }
        } catch {
            logger.debug("could not refresh usage", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Refreshes every `refreshInterval` until shutdown.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await refresh()
            do {
                try await cancelWhenGracefulShutdown { [refreshInterval] in try await Task.sleep(for: refreshInterval) }
            } catch {
                break
            }
        }
    }
}
