"""Which benchmark suites ``python -m benchmarks`` runs."""

import benchmarks.__main__ as suites


def test_make_bench_leaves_out_the_hours_long_quality_suite_unless_it_is_named(monkeypatch):
    ran = []
    monkeypatch.setattr(
        suites, "SUITES", {name: (lambda name=name: ran.append(name)) for name in suites.SUITES}
    )
    assert suites.main([]) == 0
    assert "quality" not in ran and "startup" in ran
    ran.clear()
    assert suites.main(["quality"]) == 0 and ran == ["quality"]
    assert suites.main(["qualty"]) == 2 and ran == ["quality"]
