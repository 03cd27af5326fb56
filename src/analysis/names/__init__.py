"""From names to codes: the Census gazetteer of states, counties and places
(`gazetteer`), and a city's name as the FBI's table and the lists write it to its
Census place code (`places`)."""
