from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "okrs"
    verbose_name = "Execution layer (OKRs)"

    def ready(self):
        from okrs.measure_section import feeding_key_results_section
        from okrs.services import rebuild_cycles, recompute_measure
        from scorecards.extensions import measure_page_sections, measure_rollup_changed
        from strategyhub.agencies import fiscal_year_moved

        if feeding_key_results_section not in measure_page_sections:
            measure_page_sections.append(feeding_key_results_section)
        if recompute_measure not in measure_rollup_changed:
            measure_rollup_changed.append(recompute_measure)
        if rebuild_cycles not in fiscal_year_moved:
            fiscal_year_moved.append(rebuild_cycles)
