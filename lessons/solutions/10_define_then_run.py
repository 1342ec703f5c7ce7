def answer(graph, a, b):
    return graph.run(a, b)
