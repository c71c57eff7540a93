import Health
import Server
import Synchronization

/// Tells one board's snapshots from another's.
final class BoardToken: Sendable {}

/// Combines the served data with the health snapshots of the current board into the box.
///
/// Two writers meet here: the board publishes health snapshots (under the board's lock) and
/// the reloader publishes new served data. Both go through this one lock, so neither
/// overwrites the other. The order is always board, then composer: this type never calls the
/// board while holding its own lock.
final class Composer: Sendable {
    private struct State {
        var base: ServedData
        var board: BoardToken?
        var health: HealthSnapshot?
    }
    private let box: SnapshotBox<ServedData>
    private let state: Mutex<State>

    init(box: SnapshotBox<ServedData>, base: ServedData) {
        self.box = box
        self.state = Mutex(State(base: base))
    }

    /// A snapshot from a board: published if it comes from the current board and is newer.
    /// Snapshots of a board that was replaced are dropped (their indices may not match).
    func publish(_ snapshot: HealthSnapshot, from token: BoardToken) {
        state.withLock { s in
            guard s.board === token else { return }
            if let h = s.health, h.generation >= snapshot.generation { return }
            s.health = snapshot
            box.replace(with: s.base.with(health: snapshot))
        }
    }

    /// New served data with the same health model: keeps the current snapshot.
    func replaceBase(_ base: ServedData) -> UInt64 {
        state.withLock { s in
            s.base = base
            return box.replace(with: s.health.map { base.with(health: $0) } ?? base)
        }
    }

    /// A new board (at start, or a reload with new targets or pools) and the data it serves.
    /// The board is adopted before its snapshot is read, so a snapshot it publishes in between
    /// is kept rather than overwritten by an older one.
    @discardableResult
    func switchBoard(_ board: HealthBoard, token: BoardToken, base: ServedData) -> UInt64 {
        state.withLock { s in
            s.base = base
            s.board = token
            s.health = nil
        }
        let snapshot = board.snapshot  // Outside our lock: the board's lock comes first.
        return state.withLock { s in
            if s.health == nil || s.health!.generation < snapshot.generation { s.health = snapshot }
            return box.replace(with: base.with(health: s.health!))
        }
    }
}
