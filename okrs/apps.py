from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "okrs"
    verbose_name = "Execution layer (OKRs)"

    def ready(self):
        from okrs.measure_section import feeding_key_results_section
        from scorecards.extensions import measure_page_sections

        if feeding_key_results_section not in measure_page_sections:
            measure_page_sections.append(feeding_key_results_section)
