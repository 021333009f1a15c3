"""Grades and vacancies: the recruiting positions and the ladder they are offered at.

Modules: ``model`` (entities and read models), ``grades`` (GradeService), ``vacancies``
(VacancyService).
"""
