"""The half-year / annual summary (工作总结): facts from the records, phrased by each unit's templates."""
