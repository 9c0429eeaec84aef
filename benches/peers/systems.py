"""The two benchmark systems, as scenarios/benchmark/{mmc,hall}.toml give
them: arrivals a minute, then (servers, mean service in minutes) per station
in route order."""

SYSTEMS = {
    "mmc": (9.0, [(10, 1.0)]),
    "hall": (2.0, [(8, 3.5), (9, 4.0), (3, 1.2)]),
}
