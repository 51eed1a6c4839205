"""Play, pause and speed for one stepped object, independent of any page framework.

A :class:`Playback` owns at most one thread, which steps, shows the frame, then sleeps
until the next frame is due *and* the browser has shown the last one (:meth:`shown`: the
page acknowledges each frame once it has drawn it). So the model never runs ahead of what
the student sees: when the server or the browser cannot keep up, the day advances more
slowly and :attr:`Playback.capped` says so, instead of frames piling up in a busy
browser and the display jumping ahead later — and a Step or a Pause is answered within a
frame however loaded the class is. A page that never acknowledges (a hidden tab) costs at
most one frame per ``ACK_TIMEOUT``.

Pause takes effect before the next step: :meth:`pause` wakes the sleeping thread, which
then ends. :meth:`close` does the same for good (a page left, a browser tab closed).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

SPEEDS = (0.5, 1, 2, 4, 8)  # days per second a student may choose
DEFAULT_SPEED = 2
ACK_TIMEOUT = 3.0  # seconds to wait for the browser to show a frame before the next
_WINDOW = 6  # frames over which the achieved rate is measured


class Playback:
    """Steps ``step()`` at ``speed`` days per second while playing.

    ``step`` returns whether there is more to play (False at the horizon or on an error);
    ``on_frame`` shows the new state (the live view also shows :attr:`rate` and
    :attr:`capped`); ``on_change`` is told when playing starts or stops, so that the
    controls can follow. Both run in the play thread; an exception stops playing.
    """

    def __init__(self, step: Callable[[], bool], on_frame: Callable[[], None] = lambda: None,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self._step = step
        self._on_frame = on_frame
        self._on_change = on_change
        self._cond = threading.Condition()
        self._playing = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._times: deque[float] = deque(maxlen=_WINDOW)
        self._sent = 0  # frames shown to the page (on_frame calls), and acknowledged
        self._acked = 0
        self.acknowledging = False  # a live view acknowledges frames (see shown)
        self.speed: float = DEFAULT_SPEED
        self.rate: float | None = None  # days per second achieved over the last frames

    # ---- what the controls read -------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def capped(self) -> bool:
        """Playing clearly below the chosen speed (the machine cannot keep up)."""
        return self._playing and self.rate is not None and self.rate < 0.85 * self.speed

    # ---- what the controls do ---------------------------------------------------------------
    def play(self) -> None:
        with self._cond:
            if self._closed or self._playing:
                return
            self._playing = True
            self._times.clear()
            self.rate = None
            previous = self._thread
            self._thread = threading.Thread(target=self._loop, args=(previous,), daemon=True,
                                            name="govsim-play")
            self._thread.start()
        self._on_change()

    def pause(self) -> None:
        with self._cond:
            was = self._playing
            self._playing = False
            self._cond.notify_all()
        if was:
            self._on_change()

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"speed = {speed!r}: expected a positive number of days per second")
        with self._cond:
            self.speed = float(speed)
            self._times.clear()
            self.rate = None
            self._cond.notify_all()

    @property
    def frame(self) -> int:
        """The number of the frame last sent to the page (what it acknowledges)."""
        return self._sent

    def chart_frame(self) -> bool:
        """Whether the charts join this frame: every frame when stepping, about once a
        second when playing faster (the network and the monitors show every day; a chart
        a day late costs a reader nothing, and a busy browser half its repaints)."""
        return not self._playing or self._sent % max(1, round(self.speed)) == 0

    def sent(self) -> int:
        """A frame goes to the page (any step, played or not): its number."""
        with self._cond:
            self._sent += 1
            return self._sent

    def shown(self, frame: int) -> None:
        """The page has drawn ``frame``."""
        with self._cond:
            self._acked = max(self._acked, frame)
            self._cond.notify_all()

    def close(self) -> None:
        """Stop for good; the thread ends at once if it sleeps, else after its step."""
        with self._cond:
            self._closed = True
            self._playing = False
            self._cond.notify_all()

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # ---- the thread -------------------------------------------------------------------------
    def _loop(self, previous: threading.Thread | None) -> None:
        if previous is not None:  # a quick pause-play: never two threads stepping at once
            previous.join()
        due = time.monotonic()
        while True:
            with self._cond:
                if not self._playing or self._closed:
                    return
            try:
                more = self._step()
                self._on_frame()
            except Exception:  # the step's owner shows the error; stop playing
                more = False
            now = time.monotonic()
            self._measure(now)
            if not more:
                with self._cond:
                    self._playing = False
                self._on_change()
                return
            due = max(due + 1.0 / self.speed, now)  # late: no burst of catching-up steps
            with self._cond:
                self._cond.wait_for(lambda: not self._playing or self._closed,
                                    timeout=due - now)
                give_up = time.monotonic() + ACK_TIMEOUT
                self._cond.wait_for(lambda: not self._playing or self._closed
                                    or not self.acknowledging or self._acked >= self._sent,
                                    timeout=max(0.0, give_up - time.monotonic()))

    def _measure(self, now: float) -> None:
        self._times.append(now)
        if len(self._times) >= 3:
            self.rate = (len(self._times) - 1) / max(self._times[-1] - self._times[0], 1e-9)
