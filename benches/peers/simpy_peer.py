#!/usr/bin/env python3
"""The two benchmark systems of benches/peers.py in SimPy: one process per
customer, one Resource per station, FIFO, exponential times.

Usage: python3 simpy_peer.py MODEL CUSTOMERS SEED   (MODEL: mmc or hall)
Prints one line: Wq (mean wait in queue over all stations, minutes),
W (mean time in system), within_60, within_10 (shares of customers whose
time in system is at most that many minutes), events (arrivals plus
service ends) and run_s (seconds of simulation alone).
"""
import random
import sys
import time

import simpy

from systems import SYSTEMS


def main():
    model, customers, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rate, stations = SYSTEMS[model]
    rng = random.Random(seed)
    env = simpy.Environment()
    servers = [(simpy.Resource(env, capacity=c), 1.0 / mean) for c, mean in stations]
    tally = {"events": 0, "waited": 0.0, "waits": 0, "time": 0.0, "done": 0, "within_60": 0, "within_10": 0}

    def customer():
        start = env.now
        for resource, service_rate in servers:
            with resource.request() as request:
                queued = env.now
                yield request
                tally["waited"] += env.now - queued
                tally["waits"] += 1
                yield env.timeout(rng.expovariate(service_rate))
            tally["events"] += 1
        spent = env.now - start
        tally["time"] += spent
        tally["done"] += 1
        tally["within_60"] += spent <= 60.0
        tally["within_10"] += spent <= 10.0

    def arrivals():
        for _ in range(customers):
            yield env.timeout(rng.expovariate(rate))
            tally["events"] += 1
            env.process(customer())

    env.process(arrivals())
    began = time.perf_counter()
    env.run()
    run_s = time.perf_counter() - began
    done = tally["done"]
    print(f"Wq={tally['waited'] / tally['waits']:.6f} W={tally['time'] / done:.6f} "
          f"within_60={tally['within_60'] / done:.6f} within_10={tally['within_10'] / done:.6f} "
          f"events={tally['events']} run_s={run_s:.4f}")


if __name__ == "__main__":
    main()
