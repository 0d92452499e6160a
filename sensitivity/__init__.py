"""How much a plan depends on its weights, money, water and uncertain inputs."""
