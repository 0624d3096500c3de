"""The base of the domain factories: a tenant row's organization follows its parent."""

import factory


class TenantFactory(factory.django.DjangoModelFactory):
    """A factory for a ``TenantModel`` row whose ``organization`` follows its parent row.

    ``Meta.tenant_parent`` names the foreign key (``plan``, ``objective``…) the row hangs
    from. Given that parent (``MeasureFactory(objective=o)``), the row takes the parent's
    organization; given only an organization (``MeasureFactory(organization=org)``), the
    parents are built in that organization (each parent ``SubFactory`` passes
    ``organization=SelfAttribute("..organization")``); given neither, a new agency is made.
    A parent from one agency with an organization from another is refused by the model
    layer on save, as it would be anywhere else.
    """

    class Meta:
        abstract = True

    organization = factory.SubFactory("tests.factories.tenancy.OrganizationFactory")

    @classmethod
    def _generate(cls, strategy, params):
        parent_field = getattr(cls, "_tenant_parent", None)
        parent = params.get(parent_field) if parent_field else None
        if parent is not None and "organization" not in params:
            params = {**params, "organization": parent.organization}
        return super()._generate(strategy, params)


def in_same_organization(factory_path: str, **extra):
    """A ``SubFactory`` building the parent in the child's organization."""
    return factory.SubFactory(
        factory_path, organization=factory.SelfAttribute("..organization"), **extra
    )
