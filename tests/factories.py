import factory
from django.conf import settings
from django.contrib.auth import get_user_model

from catalog.models import Standard
from organizations.models import Membership, Organization
from registry.models import Node, Placement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``role=`` a role in the default organization (``organization=`` another)."""
        if extracted:
            Membership.objects.get_or_create(
                user=self, organization=kwargs.get("organization") or default_organization(),
                role=extracted)
            if extracted == "admin":
                self.is_staff = self.is_superuser = True
                self.save()


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    number = factory.Sequence(lambda n: f"Q/TEST {n + 1:03d}-2024")
    title = factory.Sequence(lambda n: f"测试标准 {n}")


def default_organization():
    """The default organization, as the migrations and ``seed_system`` make it (again after a
    transactional test has emptied the tables)."""
    return Organization.objects.get_or_create(
        code=settings.REGISTRY_ORGANIZATION_CODE,
        defaults={"name": settings.REGISTRY_ORGANIZATION,
                  "name_en": settings.REGISTRY_ORGANIZATION_EN})[0]


def build_tree(root_name="测试体系", subsystems=3, categories=4, aspects=10, organization=None):
    """A tree of 1 + s + s*c + s*c*a nodes with default codes, bulk-inserted for speed
    (test data: no history rows), owned by ``organization`` (default: the default one)."""
    owner = organization or default_organization()
    from registry.rules.tree.codes import child_code

    last_root = Node.objects.get_root_nodes().last()
    root_step = (Node._str2int(last_root.path[:Node.steplen]) + 1) if last_root else 1
    nodes = []

    def add(path_prefix, depth, index, name, code, numchild):
        path = path_prefix + Node._int2str(index).rjust(Node.steplen, "0")
        nodes.append(Node(path=path, depth=depth, numchild=numchild, name=name, code=code,
                          owner=owner))
        return path

    root_path = add("", 1, root_step, root_name, "0", subsystems)
    nodes[-1].organization = "测试单位"
    for s in range(1, subsystems + 1):
        s_code = child_code("0", 1, s)
        s_path = add(root_path, 2, s, f"子体系{s}", s_code, categories)
        for c in range(1, categories + 1):
            c_code = child_code(s_code, 2, c)
            c_path = add(s_path, 3, c, f"类别{s}-{c}", c_code, aspects)
            for a in range(1, aspects + 1):
                add(c_path, 4, a, f"方面{s}-{c}-{a}", child_code(c_code, 3, a), 0)
    Node.objects.bulk_create(nodes, batch_size=500)
    return Node.objects.get(path=root_path)


def place(node, standard):
    return Placement.objects.create(node=node, standard=standard)


def give_role(user, role, organization=None):
    """``user`` holds ``role`` in ``organization`` (default: the default organization)."""
    return Membership.objects.get_or_create(
        user=user, organization=organization or default_organization(), role=role)[0]


def take_roles(user, role=None):
    """Take ``role`` (default: every role) away from ``user`` in every organization."""
    held = Membership.objects.filter(user=user)
    for membership in held.filter(role=role) if role else held:
        membership.delete()
