"""The Hub routes space events to a space's streams and wake-ups to a person's."""

import asyncio

from mend.lib.broker import CHECK, Hub


def test_it_routes_events_by_space_and_wake_ups_by_person() -> None:
    async def go() -> tuple[list[str], list[str], list[str]]:
        hub = Hub(heartbeat_seconds=3600)
        ana = await hub.subscribe(1, user_id=10)
        ben = await hub.subscribe(1, user_id=11)
        dan = await hub.subscribe(2, user_id=20)
        hub.dispatch('1 {"id":5}')
        hub.dispatch("u11 check")
        hub.dispatch("u99 check")  # nobody here: dropped
        hub.dispatch("nonsense")
        hub.dispatch("unot-a-number check")
        got = [[q.get_nowait() for _ in range(q.qsize())] for q in (ana, ben, dan)]
        hub.unsubscribe(1, ben, 11)
        hub.dispatch("u11 check")
        assert not hub.by_user.get(11)
        return got[0], got[1], got[2]

    ana, ben, dan = asyncio.run(go())
    assert ana == ['{"id":5}']
    assert ben == ['{"id":5}', CHECK]
    assert ben[1] is CHECK
    assert dan == []
