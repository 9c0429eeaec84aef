#!/usr/bin/env python3
"""The two benchmark systems of benches/peers.py in Ciw: a network of
exponential stations, customers routed through them in order.

Usage: python3 ciw_peer.py MODEL CUSTOMERS SEED   (MODEL: mmc or hall)
Simulates until CUSTOMERS customers have finished, then prints what
simpy_peer.py prints. Events are the arrivals and service ends of the
finished customers (records of customers still inside are left out).
"""
import sys
import time
from collections import defaultdict

import ciw

from systems import SYSTEMS


def main():
    model, customers, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rate, stations = SYSTEMS[model]
    k = len(stations)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=rate)] + [None] * (k - 1),
        service_distributions=[ciw.dists.Exponential(rate=1.0 / mean) for _, mean in stations],
        number_of_servers=[c for c, _ in stations],
        routing=[[1.0 if j == i + 1 else 0.0 for j in range(k)] for i in range(k)],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    began = time.perf_counter()
    simulation.simulate_until_max_customers(customers, method="Finish")
    run_s = time.perf_counter() - began
    visits = defaultdict(list)
    for record in simulation.get_all_records():
        visits[record.id_number].append(record)
    finished = [v for v in visits.values() if len(v) == k]
    waits = [r.waiting_time for v in finished for r in v]
    spent = [max(r.exit_date for r in v) - min(r.arrival_date for r in v) for v in finished]
    n = len(spent)
    print(f"Wq={sum(waits) / len(waits):.6f} W={sum(spent) / n:.6f} "
          f"within_60={sum(s <= 60.0 for s in spent) / n:.6f} within_10={sum(s <= 10.0 for s in spent) / n:.6f} "
          f"events={n * (k + 1)} run_s={run_s:.4f}")


if __name__ == "__main__":
    main()
